"""Domain rules as plain functions: no Flask here, so they are easy to test and reuse."""

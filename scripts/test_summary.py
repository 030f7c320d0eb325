"""Add up the JUnit reports of all test stages into one closing line: `N passed, N failed`."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET  # noqa: S405 - our own test reports


def main(paths: list[str]) -> int:
    passed = failed = skipped = 0
    for path in paths:
        root = ET.parse(path).getroot()  # noqa: S314
        for suite in root.iter("testsuite"):
            tests = int(suite.get("tests", 0))
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            skip = int(suite.get("skipped", 0))
            print(
                f"  {path.rsplit('/', 1)[-1]}: {tests - bad - skip} passed, {bad} failed, "
                f"{skip} skipped"
            )
            passed += tests - bad - skip
            failed += bad
            skipped += skip
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or skipped or passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

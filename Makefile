# Shortcuts; scripts/dev.sh does the work (and the setup, idempotently, first).
.PHONY: run test setup prod-local
run:
	scripts/dev.sh run
test:
	scripts/dev.sh test
setup:
	scripts/dev.sh setup
prod-local:
	scripts/dev.sh prod-local

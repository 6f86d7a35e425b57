# Driver for the checkpoint/restart patch series.
#
#   make run          build, boot, and show the demo
#   make check        build, boot, run every selftest, then the host checks
#   make shell        an interactive guest
#   make vmrun SCRIPT=path [FILES=dir]
#   make bench        checkpoint/restart speed against write()/read()
#   make series       export out/series/ for git am
#   make check-series build and checkpatch every prefix of the series
#
# See README.md.

SHELL := /bin/bash
TOP := $(CURDIR)
B := $(TOP)/build
T := tools/testing/checkpoint
S := $(TOP)/$(T)/scripts
KSRC := $(B)/linux
KOBJ := $(B)/kobj
BZIMAGE := $(KOBJ)/arch/x86/boot/bzImage
GUEST := $(B)/guest
JOBS ?= $(shell nproc)
TIMEOUT ?= 900

export CCACHE_BASEDIR := $(TOP)
export CCACHE_NOHASHDIR := 1
export CCACHE_MAXSIZE ?= 5G

KMAKE = $(MAKE) -s -C $(KSRC) O=$(KOBJ) ARCH=x86_64 \
	CC="ccache gcc" HOSTCC="ccache gcc" -j$(JOBS)

.PHONY: all deps tree config kernel headers guest run check shell vmrun bench \
	series check-series clean distclean

all: kernel guest

deps:
	@$(S)/deps.sh

tree: deps
	@$(S)/prepare-tree.sh $(TOP) $(KSRC)

config: tree
	@$(S)/config.sh $(KSRC) $(KOBJ) $(TOP)/$(T)/config

kernel: config
	@echo "kernel: building (ccache, -j$(JOBS))"
	@+$(KMAKE) bzImage
	@echo "kernel: $(BZIMAGE)"

headers: config
	@+$(KMAKE) headers_install

guest: headers
	@+$(MAKE) -s -C $(T) O=$(GUEST) KSRC=$(KSRC) \
		KHDR_DIR=$(KOBJ)/usr/include initramfs

run: kernel guest
	@$(S)/vm.sh --mode run --kernel $(BZIMAGE) --initrd $(GUEST)/initramfs.cpio \
		--logdir $(B)/logs --timeout $(TIMEOUT)

check: kernel guest
	@$(S)/check.sh $(TOP) $(B) $(BZIMAGE) $(GUEST)/initramfs.cpio $(TIMEOUT)

shell: kernel guest
	@$(S)/vm.sh --mode shell --kernel $(BZIMAGE) --initrd $(GUEST)/initramfs.cpio \
		--logdir $(B)/logs --timeout 86400

vmrun: kernel guest
	@test -n "$(SCRIPT)" || { echo "usage: make vmrun SCRIPT=path [FILES=dir]" >&2; exit 2; }
	@$(S)/vm.sh --mode vmrun --kernel $(BZIMAGE) --initrd $(GUEST)/initramfs.cpio \
		--logdir $(B)/logs --timeout $(TIMEOUT) --script "$(SCRIPT)" \
		$(if $(FILES),--files "$(FILES)")

bench: kernel guest
	@$(S)/vm.sh --mode bench --kernel $(BZIMAGE) --initrd $(GUEST)/initramfs.cpio \
		--logdir $(B)/logs --timeout $(TIMEOUT)

series: tree
	@$(S)/series.sh $(TOP) $(B) $(TOP)/out/series

check-series: series
	@$(S)/check-series.sh $(TOP) $(B) $(TOP)/out/series

clean:
	rm -rf $(GUEST) $(B)/logs out

distclean:
	rm -rf build out

// SPDX-License-Identifier: GPL-2.0
/*
 * Flat binaries and firmware images (loader_flat.c).
 */
#include <stdlib.h>

#include "unit.h"

static uint8_t buf[64 * 1024];

static struct image flat(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		buf[i] = pattern(i);
	return image__from(name, buf, size);
}

static void flat_loads(void)
{
	struct image img = flat("boot.bin", 512);

	env__reset();
	check(!env__load(&img) && mem_is(0x7c00, buf, 512) &&
	      env.p.boot.mode == MODE_REAL && env.p.boot.cs == 0 &&
	      env.p.boot.ip == 0x7c00,
	      "flat: a boot sector lands at 0x7c00, real mode at 0000:7c00");
	check(env.ram[0x7bff] == SENTINEL && env.ram[0x7e00] == SENTINEL,
	      "flat: nothing written around it");

	env__reset();
	env.o.load_set = true;
	env.o.load_addr = 0x12340;
	check(!env__load(&img) && mem_is(0x12340, buf, 512) &&
	      env.p.boot.cs == 0x1000 && env.p.boot.ip == 0x2340,
	      "flat: --load-address 0x12340 starts at 1000:2340");

	env__reset();
	env.o.entry_set = env.o.entry_segmented = true;
	env.o.entry_cs = 0x07c0;
	env.o.entry_ip = 0;
	check(!env__load(&img) && env.p.boot.cs == 0x07c0 && env.p.boot.ip == 0,
	      "flat: --entry 07c0:0000 is taken as given");

	env__reset();
	env.o.mode = MODE_PROT;
	check(!env__load(&img) && mem_is(1 * MiB, buf, 512) &&
	      env.p.boot.mode == MODE_PROT && env.p.boot.entry == 1 * MiB,
	      "flat: --mode protected loads at 1 MiB and starts there");

	env__reset();
	env.o.mode = MODE_LONG;
	env.o.entry_set = true;
	env.o.entry = 1 * MiB + 0x10;
	check(!env__load(&img) && env.p.boot.mode == MODE_LONG &&
	      env.p.boot.entry == 1 * MiB + 0x10,
	      "flat: --mode long with --entry");
}

static void flat_refusals(void)
{
	struct image img = flat("boot.bin", 512);
	struct image big = image__from("big.bin", calloc(1, TEST_MEM), TEST_MEM);

	env__reset();
	expect_refused("flat: empty file", &(struct image){ "empty.bin", buf, 0, NULL },
		       "empty.bin", "empty");

	env__reset();
	expect_refused("flat: 4 MiB at 0x7c00 in 4 MiB of RAM", &big, "big.bin",
		       "too large");
	free((void *)big.data);

	env__reset();
	env.o.mode = MODE_PROT;
	env.o.load_set = true;
	env.o.load_addr = TEST_MEM - 256;
	expect_refused("flat: straddling the end of RAM", &img, "boot.bin", "too large");

	env__reset();
	env.o.load_set = true;
	env.o.load_addr = UINT64_MAX - 100;
	expect_refused("flat: wrapping around the address space", &img, "boot.bin", "malformed");

	env__reset();
	env.o.mode = MODE_PROT;
	env.o.load_set = true;
	env.o.load_addr = 0x2000;
	expect_refused("flat: protected mode on top of vmrun's tables", &img, "boot.bin", "overlapping");

	env__reset();
	env.o.entry_set = true;
	env.o.entry = 2 * MiB;
	expect_refused("flat: real-mode entry above 1 MiB", &img, "boot.bin", "real mode");
}

static void firmware_tests(void)
{
	struct image fw = flat("bios.bin", 64 * 1024);
	struct image boot = flat("boot.bin", 512);
	static uint8_t big[FW_MAX_SIZE + 4096];
	uint8_t *top;

	env__reset();
	env.o.firmware = &fw;
	top = NULL;
	if (!env__load(NULL))
		top = env__gpa(FW_TOP - fw.size);
	check(top && !memcmp(top, buf, fw.size) && mem_is(FW_LOW_TOP - fw.size, buf, fw.size) &&
	      env.p.boot.mode == MODE_RESET,
	      "firmware: 64 KiB end at 4 GiB and at 1 MiB; start at the reset vector");

	env__reset();
	fw = flat("bios.bin", 40000);	/* not a multiple of 4 KiB */
	env.o.firmware = &fw;
	check(!env__load(NULL) && env__gpa(FW_TOP - 40000) &&
	      !memcmp(env__gpa(FW_TOP - 40000), buf, 40000),
	      "firmware: an odd size still ends exactly at 4 GiB");

	env__reset();
	fw = image__from("big-bios.bin", big, 256 * 1024);
	memset(big, 0x11, 128 * 1024);
	memset(big + 128 * 1024, 0x22, 128 * 1024);
	env.o.firmware = &fw;
	check(!env__load(NULL) && env.ram[FW_LOW_TOP - 128 * 1024] == 0x22 &&
	      env.ram[FW_LOW_TOP - 128 * 1024 - 1] == SENTINEL,
	      "firmware: of 256 KiB only the top 128 KiB appear below 1 MiB");

	env__reset();
	fw = flat("bios.bin", 64 * 1024);
	env.o.firmware = &fw;
	check(!env__load(&boot) && mem_is(0x7c00, buf, 512) &&
	      env.p.boot.mode == MODE_RESET,
	      "firmware: with a flat image at 0x7c00, still the reset vector");

	env__reset();
	fw = image__from("huge-bios.bin", big, sizeof(big));
	env.o.firmware = &fw;
	expect_refused("firmware: more than 16 MiB", NULL, "huge-bios.bin", "too large");

	env__reset();
	fw = image__from("empty-bios.bin", big, 0);
	env.o.firmware = &fw;
	expect_refused("firmware: empty", NULL, "empty-bios.bin", "empty");

	env__reset();
	fw = flat("bios.bin", 64 * 1024);
	env.o.firmware = &fw;
	env.o.mode = MODE_PROT;
	expect_refused("firmware: with --mode", NULL, "bios.bin", "reset vector");
}

void flat_tests(void)
{
	flat_loads();
	flat_refusals();
	firmware_tests();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Multiboot v1 kernels (loader_multiboot.c): the header's address fields,
 * the ELF fallback, the information structure, modules, and refusals.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define MB_ADDRS	(1u << 16)
#define MBI		VMRUN_MBI_GPA

static uint8_t buf[64 * 1024];

static uint32_t rd32(uint64_t gpa)
{
	uint32_t v;

	memcpy(&v, env__gpa(gpa), 4);
	return v;
}

/* A header at @off: magic, flags, checksum and the five address fields. */
static void put_header(size_t off, uint32_t flags, const uint32_t addr[5])
{
	uint32_t h[8] = { MB_HEADER_MAGIC, flags, -(MB_HEADER_MAGIC + flags) };

	if (addr)
		memcpy(h + 3, addr, 5 * 4);
	memcpy(buf + off, h, addr ? 32 : 12);
}

/*
 * A flat kernel of 0x3000 bytes with its header at 0x40 and address
 * fields for 1 MiB: loaded whole, 0x1000 of bss, entry at +0x100.
 */
static struct image aout(const char *name, const uint32_t *addr)
{
	static const uint32_t good[5] = {
		0x100040, 0x100000, 0x103000, 0x104000, 0x100100,
	};
	size_t i;

	for (i = 0; i < 0x3000; i++)
		buf[i] = pattern(i);
	put_header(0x40, MB_ADDRS | 3, addr ? addr : good);
	return image__from(name, buf, 0x3000);
}

/* An ELF32 kernel at 1 MiB with a header (no address fields) in it. */
static struct image mb_elf(const char *name, uint32_t flags)
{
	static const struct seg_spec seg = {
		PT_LOAD, 0x1000, 0x100000, 0x100000, 0x1000, 0x2000,
	};
	size_t size = mk_elf(buf, sizeof(buf), false, 0x10000c, &seg, 1);

	put_header(0x1000, flags, NULL);
	return image__from(name, buf, size);
}

static void info_checks(uint32_t m1)
{
	const char *cmdline;
	uint32_t mmap, mods;

	check(env.p.boot.mode == MODE_PROT && env.p.boot.multiboot &&
	      env.p.boot.eax == MB_BOOT_MAGIC && env.p.boot.ebx == MBI,
	      "multiboot: protected mode, EAX = 0x2badb002, EBX = the info");
	check((rd32(MBI) & 0x24d) == 0x24d,
	      "multiboot: info flags: memory, cmdline, mods, mmap, loader name");
	check(rd32(MBI + 4) == 639 && rd32(MBI + 8) == (TEST_MEM - MiB) / KiB,
	      "multiboot: mem_lower 639 KiB, mem_upper = RAM above 1 MiB");
	mmap = rd32(MBI + 48);
	check(rd32(MBI + 44) == 96 && rd32(mmap) == 20 && rd32(mmap + 20) == 1 &&
	      rd32(mmap + 72 + 4) == MiB && rd32(mmap + 72 + 12) == TEST_MEM - MiB,
	      "multiboot: a 4-entry memory map ending with the RAM above 1 MiB");
	cmdline = (const char *)env__gpa(rd32(MBI + 16));
	check(cmdline && !strcmp(cmdline, "kernel.elf console=ttyS0 x=1"),
	      "multiboot: cmdline is the kernel's name and --cmdline");
	note("  cmdline: '%s'", cmdline ? cmdline : "(none)");
	mods = rd32(MBI + 24);
	check(rd32(MBI + 20) == 2 && rd32(mods) == m1 &&
	      rd32(mods + 4) == m1 + 100 && rd32(mods + 16) == m1 + 0x1000 &&
	      rd32(mods + 20) == m1 + 0x1000 + 5000,
	      "multiboot: 2 modules, page-aligned after the kernel");
	check(!strcmp((char *)env__gpa(rd32(mods + 8)), "initrd.img root=/dev/ram") &&
	      !strcmp((char *)env__gpa(rd32(mods + 24)), "blob.bin"),
	      "multiboot: module strings are the file name and ARGS");
	check(mem_is(m1, env.o.modules[0].img.data, 100) &&
	      mem_is(m1 + 0x1000, env.o.modules[1].img.data, 5000),
	      "multiboot: module contents copied");
	check(!strcmp((char *)env__gpa(rd32(MBI + 64)), "vmrun"),
	      "multiboot: boot loader name");
}

static void set_modules(void)
{
	static uint8_t m1[100], m2[5000];

	memset(m1, 0x31, sizeof(m1));
	memset(m2, 0x32, sizeof(m2));
	env.o.modules[0].img = image__from("/some/dir/initrd.img", m1, sizeof(m1));
	env.o.modules[0].args = "root=/dev/ram";
	env.o.modules[1].img = image__from("blob.bin", m2, sizeof(m2));
	env.o.nr_modules = 2;
	env.o.cmdline = "console=ttyS0 x=1";
}

static void mb_loads(void)
{
	struct image img = aout("kernel.elf", NULL);

	env__reset();
	set_modules();
	/* The module's name as given, not just its base name. */
	env.o.modules[0].img.name = "initrd.img";
	check(!env__load(&img) && mem_is(0x100000, buf, 0x3000) &&
	      mem_is(0x103000, NULL, 0x1000) && env.p.boot.entry == 0x100100,
	      "multiboot: address fields load the file at load_addr, bss zeroed");
	/* Modules start on the first page after the bss. */
	info_checks(0x104000);

	img = mb_elf("kernel.elf", 3);
	env__reset();
	set_modules();
	env.o.modules[0].img.name = "initrd.img";
	check(!env__load(&img) && mem_is(0x100000, buf + 0x1000, 0x1000) &&
	      mem_is(0x101000, NULL, 0x1000) && env.p.boot.entry == 0x10000c,
	      "multiboot: without address fields, ELF program headers decide");
	check(!strcmp(env.p.boot.format, "multiboot ELF32"),
	      "multiboot: detected before ELF");

	/* Address fields that make no sense, in an ELF file: ELF decides. */
	img = mb_elf("kernel.elf", 3 | MB_ADDRS);
	memcpy(buf + 0x100c, (uint32_t[5]){ 0x100000, 0x200000, 0, 0, 0x100000 }, 20);
	env__reset();
	check(!env__load(&img) && env.p.boot.entry == 0x10000c &&
	      mem_is(0x100000, buf + 0x1000, 0x1000),
	      "multiboot: invalid address fields fall back to the ELF headers");
}

static void mb_refusals(void)
{
	struct image img;
	static char longline[40000];

	/* Address fields: header, load, load end, bss end, entry. */
	static const struct {
		const char *what, *desc;
		uint32_t addr[5];
	} aout_refused[] = {
		{ "malformed", "header_addr below load_addr",
		  { 0x100040, 0x100080, 0, 0, 0x100100 } },
		{ "malformed", "load_addr before the file's start",
		  { 0x100040, 0x0f0000, 0, 0, 0x100100 } },
		{ "truncated", "load_end_addr past the end of the file",
		  { 0x100040, 0x100000, 0x109000, 0, 0x100100 } },
		{ "malformed", "load_end_addr below load_addr",
		  { 0x100040, 0x100000, 0x0ff000, 0, 0x100100 } },
		{ "malformed", "bss_end_addr below the loaded end",
		  { 0x100040, 0x100000, 0x103000, 0x102000, 0x100100 } },
		{ "malformed", "entry outside the image",
		  { 0x100040, 0x100000, 0, 0, 0x200000 } },
		{ "too large", "bss past the end of RAM",
		  { 0x100040, 0x100000, 0, 0x500000, 0x100100 } },
		{ "overlapping", "loaded over the multiboot information",
		  { 0x8040, 0x8000, 0, 0, 0x8100 } },
	};
	char desc[96];
	unsigned int i;

	for (i = 0; i < sizeof(aout_refused) / sizeof(aout_refused[0]); i++) {
		img = aout("k.bin", aout_refused[i].addr);
		env__reset();
		snprintf(desc, sizeof(desc), "multiboot: %s", aout_refused[i].desc);
		expect_refused(desc, &img, "k.bin", aout_refused[i].what);
	}

	img = aout("k.bin", NULL);
	img.size = 0x50;	/* header found, address fields cut */
	env__reset();
	expect_refused("multiboot: address fields cut short", &img, "k.bin", "truncated");

	img = aout("k.bin", NULL);
	put_header(0x40, 3, NULL);
	env__reset();
	expect_refused("multiboot: no address fields and not ELF", &img, "k.bin", "not ELF");

	img = aout("k.bin", NULL);
	buf[0x48] ^= 1;		/* the checksum */
	env__reset();
	env.o.format = FMT_MULTIBOOT;
	expect_refused("multiboot: bad checksum", &img, "k.bin", "checksum");

	img = mb_elf("k.elf", 3 | 4);
	env__reset();
	expect_refused("multiboot: requires a video mode", &img, "k.elf", "video");

	img = mb_elf("k.elf", 3 | 8);
	env__reset();
	expect_refused("multiboot: requires an unknown feature", &img, "k.elf", "features");

	memset(buf, 0, 0x4000);
	img = image__from("plain.bin", buf, 0x4000);
	env__reset();
	env.o.format = FMT_MULTIBOOT;
	expect_refused("multiboot: no header at all", &img, "plain.bin", "no multiboot header");

	img = mb_elf("k.elf", 3);
	env__reset();
	env.o.modules[0].img = image__from("huge.img", calloc(1, TEST_MEM), TEST_MEM);
	env.o.nr_modules = 1;
	expect_refused("multiboot: module too large for RAM", &img, "huge.img", "too large");
	free((void *)env.o.modules[0].img.data);

	img = mb_elf("k.elf", 3);
	env__reset();
	memset(longline, 'x', sizeof(longline) - 1);
	env.o.cmdline = longline;
	expect_refused("multiboot: command line too long", &img, "k.elf", "command line");

	img = mb_elf("k.elf", 3);
	env__reset();
	env.o.mode = MODE_LONG;
	expect_refused("multiboot: with --mode long", &img, "k.elf", "protected mode");

	memset(buf, 0x90, 512);
	img = image__from("boot.bin", buf, 512);
	env__reset();
	env.o.modules[0].img = image__from("m", buf, 1);
	env.o.nr_modules = 1;
	expect_refused("multiboot: --module with a flat image", &img, "boot.bin", "multiboot");

	/* A bad checksum is no header: detection falls through to flat. */
	img = aout("k.bin", NULL);
	buf[0x48] ^= 1;
	env__reset();
	check(!env__load(&img) && !strcmp(env.p.boot.format, "flat binary"),
	      "multiboot: a header with a bad checksum is not detected");
}

void multiboot_tests(void)
{
	mb_loads();
	mb_refusals();
}

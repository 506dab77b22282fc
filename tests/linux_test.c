// SPDX-License-Identifier: GPL-2.0
/*
 * Linux bzImages (loader_linux.c): crafted images whose setup header has
 * the fields the loader reads, at the offsets of the kernel's
 * Documentation/arch/x86/boot.rst and zero-page.rst (written out here
 * rather than taken from the loader, so that a wrong offset there shows).
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

#define ZP		LINUX_ZERO_PAGE_GPA
#define SETUP		(5 * 512)	/* setup_sects 4, and the boot sector */
#define KSIZE		0x4000		/* the crafted protected-mode kernel */

struct bz_spec {
	uint16_t version, xloadflags;
	uint8_t setup_sects, relocatable, jump;
	uint32_t kernel_size, align, init_size, initrd_max, cmdline_size;
	uint64_t pref;
	size_t extra;			/* bytes after syssize's, a signature */
};

static uint8_t buf[64 * 1024];
static uint8_t rd_buf[3 * 1024 * 1024];

/* A relocatable 64-bit kernel that runs at 1 MiB in 1 MiB of window. */
static struct bz_spec spec(void)
{
	return (struct bz_spec){
		.version = 0x020f, .xloadflags = 1, .setup_sects = 4,
		.relocatable = 1, .jump = 0x66, .kernel_size = KSIZE,
		.align = 0x100000, .init_size = 0x100000,
		.initrd_max = 0x7fffffff, .cmdline_size = 2047,
		.pref = 0x100000, .extra = 0x100,
	};
}

static struct image mk_bz(const char *name, const struct bz_spec *s)
{
	size_t setup = ((s->setup_sects ? s->setup_sects : 4) + 1) * 512, i;
	size_t size = setup + s->kernel_size + s->extra;

	if (size > sizeof(buf))
		abort();
	for (i = 0; i < size; i++)
		buf[i] = pattern(i);
	buf[0x1f1] = s->setup_sects;
	put_le32(buf + 0x1f4, s->kernel_size / 16);		/* syssize */
	put_le16(buf + 0x1fa, 0xfffd);				/* vid_mode: ask */
	put_le16(buf + 0x1fe, 0xaa55);
	buf[0x200] = 0xeb;
	buf[0x201] = s->jump;
	memcpy(buf + 0x202, "HdrS", 4);
	put_le16(buf + 0x206, s->version);
	put_le16(buf + 0x20e, 0x300);				/* kernel_version */
	memcpy(buf + 0x500, "6.99.0-test (crafted) #1", 25);
	buf[0x210] = 0;						/* type_of_loader */
	buf[0x211] = 0x01;					/* LOADED_HIGH */
	put_le32(buf + 0x214, 0x100000);			/* code32_start */
	put_le32(buf + 0x218, 0);
	put_le32(buf + 0x21c, 0);
	put_le32(buf + 0x228, 0);				/* cmd_line_ptr */
	put_le32(buf + 0x22c, s->initrd_max);
	put_le32(buf + 0x230, s->align);
	buf[0x234] = s->relocatable;
	buf[0x235] = 12;
	put_le16(buf + 0x236, s->xloadflags);
	put_le32(buf + 0x238, s->cmdline_size);
	put_le32(buf + 0x23c, 0x5a5a);				/* hardware_subarch */
	put_le64(buf + 0x250, 0x1234);				/* setup_data */
	put_le64(buf + 0x258, s->pref);
	put_le32(buf + 0x260, s->init_size);
	return image__from(name, buf, size);
}

/* The zero page as the plan holds it (whether or not it was committed). */
static const uint8_t *zp(void)
{
	return env.p.info;
}

static uint32_t zp32(unsigned int off)
{
	return get_le32(zp() + off);
}

static struct image initrd(const char *name, size_t size)
{
	size_t i;

	for (i = 0; i < size; i++)
		rd_buf[i] = (uint8_t)(i * 13 + 5);
	return image__from(name, rd_buf, size);
}

/* e820 entry @i is [@addr, @addr + @size) of @type. */
static bool e820_is(unsigned int i, uint64_t addr, uint64_t size, uint32_t type)
{
	const uint8_t *e = zp() + 0x2d0 + 20 * i;

	return get_le64(e) == addr && get_le64(e + 8) == size &&
	       get_le32(e + 16) == type;
}

/* Plan (not load) for a guest of @mem bytes laid out as @gm. */
static int plan_for(const struct image *img, const struct gmem *gm, uint64_t mem)
{
	env__reset();
	env.o.mem_size = mem;
	return load__plan(&env.p, img, &env.o, gm);
}

/* Is every header byte the image's, but for those a loader writes? */
static bool header_copied(const struct image *img, unsigned int end)
{
	static const unsigned int written[][2] = {
		{ 0x1fa, 2 }, { 0x210, 2 }, { 0x214, 12 }, { 0x224, 2 },
		{ 0x228, 4 }, { 0x23c, 4 }, { 0x250, 8 },
	};
	unsigned int off, i;
	bool skip;

	for (off = 0x1f1; off < 0x290; off++) {
		skip = false;
		for (i = 0; i < sizeof(written) / sizeof(written[0]); i++)
			if (off >= written[i][0] && off < written[i][0] + written[i][1])
				skip = true;
		if (skip)
			continue;
		if (zp()[off] != (off < end ? img->data[off] : 0)) {
			note("  zero page byte %#x is %#x", off, zp()[off]);
			return false;
		}
	}
	return true;
}

static void loads_64(void)
{
	struct bz_spec s = spec();
	struct image img = mk_bz("vmlinuz", &s), rd = initrd("initrd.img", 0x3456);
	uint64_t gdt10, gdt18, at;
	const char *cmd;

	env__reset();
	env.o.cmdline = "console=ttyS0 quiet";
	env.o.initrd = &rd;
	check(!env__load(&img), "linux: a crafted bzImage loads with an initrd");
	note("  %s", env.p.err[0] ? env.p.err : env.p.boot.format);
	check(!strcmp(env.p.boot.format, "Linux bzImage 6.99.0-test (boot protocol 2.15, 64-bit entry)"),
	      "linux: detected as a bzImage, version string and protocol named");
	check(mem_is(0x100000, buf + SETUP, KSIZE) &&
	      mem_is(0x100000 + KSIZE, NULL, 0x100000 - KSIZE),
	      "linux: syssize * 16 bytes at 1 MiB, the rest of init_size zeroed");
	check(env.ram[0x200000] == SENTINEL,
	      "linux: nothing written past the kernel's window");

	check(zp()[0x210] == 0xff && (zp()[0x211] & 0x81) == 0x81 &&
	      get_le16(zp() + 0x224) == 0xfe00,
	      "linux: type_of_loader 0xff, LOADED_HIGH and CAN_USE_HEAP, heap_end_ptr");
	check(get_le16(zp() + 0x1fa) == 0xffff && zp32(0x23c) == 0 &&
	      get_le64(zp() + 0x250) == 0 && zp32(0x214) == 0x100000,
	      "linux: vid_mode normal, hardware_subarch PC, no setup_data, code32_start");
	check(header_copied(&img, 0x202 + 0x66),
	      "linux: the setup header is the image's, up to the jump's end");
	check(zp()[0x1ef] == 0 && mem_is(ZP, NULL, 0x1e8),
	      "linux: sentinel 0, screen_info and the rest before the e820 count zero");

	cmd = (const char *)env__gpa(zp32(0x228));
	check(zp32(0x228) == LINUX_CMDLINE_GPA && cmd && !strcmp(cmd, "console=ttyS0 quiet"),
	      "linux: cmd_line_ptr points at the command line, below 1 MiB");
	at = zp32(0x218);
	check(at == ((TEST_MEM - 0x3456) & ~0xfffull) && zp32(0x21c) == 0x3456 &&
	      mem_is(at, rd_buf, 0x3456) && zp32(0xc0) == 0 && zp32(0xc4) == 0,
	      "linux: the initrd at the highest page below the end of RAM, ext_ramdisk_* 0");
	note("  ramdisk_image %#llx", (unsigned long long)at);

	check(zp()[0x1e8] == 3 && e820_is(0, 0, 0x9fc00, 1) &&
	      e820_is(1, 0x9fc00, 0x60400, 2) && e820_is(2, 0x100000, TEST_MEM - MiB, 1),
	      "linux: e820 of 4 MiB: RAM to 0x9fc00, reserved to 1 MiB, RAM above");

	gdt10 = get_le64(env__gpa(LINUX_GDT_GPA + 0x10));
	gdt18 = get_le64(env__gpa(LINUX_GDT_GPA + 0x18));
	check(env.p.boot.mode == MODE_LONG && env.p.boot.entry == 0x100200 &&
	      env.p.boot.linux_boot && env.p.boot.rsi == ZP,
	      "linux: long mode at startup_64 (load address + 0x200), RSI = the zero page");
	check(env.p.boot.cs_sel == 0x10 && env.p.boot.ds_sel == 0x18 &&
	      env.p.boot.gdt == LINUX_GDT_GPA && env.p.boot.gdt_limit >= 0x1f,
	      "linux: CS = __BOOT_CS 0x10, data = __BOOT_DS 0x18, GDTR the boot GDT");
	/* Present, S, type 0xb; L set and D clear: 64-bit code. */
	check((gdt10 >> 40 & 0xff) == 0x9b && (gdt10 >> 53 & 3) == 1 &&
	      (gdt18 >> 40 & 0xff) == 0x93 && (gdt18 >> 54 & 3) == 3 &&
	      (gdt10 & 0xffff) == 0xffff && (gdt18 >> 48 & 0xf) == 0xf &&
	      get_le64(env__gpa(LINUX_GDT_GPA)) == 0,
	      "linux: the boot GDT: flat 64-bit code at 0x10, flat read/write data at 0x18");
}

static void loads_32(void)
{
	struct bz_spec s = spec();
	struct image img;
	uint64_t gdt10;

	s.xloadflags = 0;
	img = mk_bz("vmlinuz32", &s);
	env__reset();
	check(!env__load(&img) && env.p.boot.mode == MODE_PROT &&
	      env.p.boot.entry == 0x100000 && env.p.boot.rsi == ZP,
	      "linux: no XLF_KERNEL_64: protected mode at the load address, ESI = zero page");
	gdt10 = get_le64(env__gpa(LINUX_GDT_GPA + 0x10));
	check((gdt10 >> 40 & 0xff) == 0x9b && (gdt10 >> 53 & 3) == 2,
	      "linux: 32-bit entry: __BOOT_CS is flat 32-bit code (D=1, L=0)");
	check(zp32(0x228) == LINUX_CMDLINE_GPA && *env__gpa(LINUX_CMDLINE_GPA) == 0 &&
	      zp32(0x218) == 0 && zp32(0x21c) == 0,
	      "linux: no --append: an empty command line; no initrd: ramdisk_* 0");

	s = spec();
	img = mk_bz("vmlinuz", &s);
	env__reset();
	env.o.mode = MODE_PROT;
	check(!env__load(&img) && env.p.boot.mode == MODE_PROT &&
	      env.p.boot.entry == 0x100000,
	      "linux: --mode protected takes the 32-bit entry of a 64-bit kernel");
}

static void placement(void)
{
	struct bz_spec s = spec();
	struct image img, rd = initrd("rd", 0x5000);

	/* Relocatable: pref_address rounded up to kernel_alignment. */
	s.pref = 0x180000;
	img = mk_bz("vmlinuz", &s);
	env__reset();
	check(!env__load(&img) && env.p.boot.entry == 0x200200 &&
	      mem_is(0x200000, buf + SETUP, KSIZE) && zp32(0x214) == 0x200000,
	      "linux: relocatable, pref_address 0x180000 aligned up to 2 MiB");

	/* setup_sects 0 means 4 (boot.rst): the kernel still starts at 0xa00. */
	s = spec();
	s.setup_sects = 0;
	img = mk_bz("vmlinuz", &s);
	env__reset();
	check(!env__load(&img) && mem_is(0x100000, buf + SETUP, KSIZE),
	      "linux: setup_sects 0 is taken as 4");

	/* Not relocatable: loaded at 1 MiB, its window from pref_address. */
	s = spec();
	s.relocatable = 0;
	s.pref = 0x200000;
	s.init_size = 0x180000;
	img = mk_bz("vmlinuz", &s);
	env__reset();
	env.o.initrd = &rd;
	check(!env__load(&img) && env.p.boot.entry == 0x100200 &&
	      mem_is(0x100000, buf + SETUP, KSIZE) && env.p.seg[0].gpa == 0x100000 &&
	      env.p.seg[0].memsz == 0x280000,
	      "linux: not relocatable: at 1 MiB, reserving up to pref_address + init_size");
	check(zp32(0x218) == ((TEST_MEM - 0x5000) & ~0xfffull) && zp32(0x218) >= 0x380000,
	      "linux: the initrd above that window");

	/* initrd_addr_max below the end of RAM. */
	s = spec();
	s.initrd_max = 0x2fffff;
	img = mk_bz("vmlinuz", &s);
	env__reset();
	env.o.initrd = &rd;
	check(!env__load(&img) && zp32(0x218) == 0x2fb000 &&
	      zp32(0x218) + zp32(0x21c) - 1 <= 0x2fffff && mem_is(0x2fb000, rd_buf, 0x5000),
	      "linux: the initrd ends at or below initrd_addr_max, page-aligned, as high as it goes");

	/* No room above the kernel: between 1 MiB and the kernel. */
	s = spec();
	s.pref = 0x200000;
	s.init_size = 0x200000;
	img = mk_bz("vmlinuz", &s);
	env__reset();
	env.o.initrd = &rd;
	check(!env__load(&img) && zp32(0x218) == 0x200000 - 0x5000,
	      "linux: the initrd below the kernel when the space above is taken");
}

static void e820_layouts(void)
{
	struct bz_spec s = spec();
	struct image img = mk_bz("vmlinuz", &s), rd = initrd("rd", 0x5000);
	struct gmem gm = { 0 };

	gmem__add(&gm, 0, 128 * MiB, NULL, "RAM");
	check(!plan_for(&img, &gm, 128 * MiB) && zp()[0x1e8] == 3 &&
	      e820_is(0, 0, 0x9fc00, 1) && e820_is(1, 0x9fc00, 0x60400, 2) &&
	      e820_is(2, MiB, 127 * MiB, 1),
	      "linux: e820 of 128 MiB: 0-0x9fbff RAM, to 1 MiB reserved, then 127 MiB RAM");

	memset(&gm, 0, sizeof(gm));
	gmem__add(&gm, 0, 3 * GiB, NULL, "RAM");
	check(!plan_for(&img, &gm, 3 * GiB) && zp()[0x1e8] == 3 &&
	      e820_is(2, MiB, 3 * GiB - MiB, 1),
	      "linux: e820 of 3 GiB (vmrun's largest): RAM to 3 GiB, the rest a gap");

	/* RAM split around the hole below 4 GiB, as a 3.5 GiB PC has it. */
	memset(&gm, 0, sizeof(gm));
	gmem__add(&gm, 0, 3 * GiB, NULL, "RAM");
	gmem__add(&gm, 4 * GiB, GiB / 2, NULL, "RAM above 4 GiB");
	env__reset();
	env.o.initrd = &rd;
	env.o.mem_size = 3 * GiB + GiB / 2;
	check(!load__plan(&env.p, &img, &env.o, &gm) && zp()[0x1e8] == 4 &&
	      e820_is(2, MiB, 3 * GiB - MiB, 1) && e820_is(3, 4 * GiB, GiB / 2, 1),
	      "linux: e820 of 3.5 GiB split at the hole: 3-4 GiB absent, RAM from 4 GiB");
	check(zp32(0x218) == 0x80000000 - 0x5000 && zp32(0xc0) == 0,
	      "linux: there, the initrd below initrd_addr_max 0x7fffffff, below 4 GiB");
}

/* Refused after env__reset() and the options in the variable part. */
#define REFUSE(desc, file, what, ...) do {				\
		env__reset();						\
		__VA_ARGS__;						\
		expect_refused("linux: " desc, &img, file, what);	\
	} while (0)
#define AS_LINUX	(env.o.format = FMT_LINUX)

static void refusals(void)
{
	static char longline[LINUX_CMDLINE_MAX + 10];
	struct bz_spec s = spec();
	struct image img = mk_bz("k.bz", &s), rd;

	memcpy(buf + 0x202, "HdrZ", 4);
	REFUSE("bad \"HdrS\" magic", "k.bz", "malformed", AS_LINUX);
	img = mk_bz("k.bz", &s);
	put_le16(buf + 0x1fe, 0x55aa);
	REFUSE("bad boot_flag", "k.bz", "not a Linux bzImage", AS_LINUX);
	img = mk_bz("k.bz", &s);
	buf[0x200] = 0x90;
	REFUSE("no jump to size the header", "k.bz", "malformed", AS_LINUX);
	img = mk_bz("k.bz", &s);
	buf[0x201] = 0x20;
	REFUSE("a header too short for 2.12", "k.bz", "malformed", AS_LINUX);
	img = mk_bz("k.bz", &s);
	img.size = 0x180;
	REFUSE("a file shorter than the header", "k.bz", "truncated", AS_LINUX);
	img.size = 0x300;
	REFUSE("setup_sects past the end of the file", "k.bz", "truncated");
	img.size = SETUP + KSIZE - 1;
	REFUSE("syssize beyond the file", "k.bz", "truncated");
	put_le32(buf + 0x1f4, 0);
	REFUSE("syssize 0", "k.bz", "malformed");
	img = mk_bz("k.bz", &s);
	buf[0x211] = 0;
	REFUSE("a zImage", "k.bz", "zImage");

	s.version = 0x020b;
	img = mk_bz("old.bz", &s);
	REFUSE("protocol 2.11", "old.bz", "protocol 2.11");
	s = spec();
	s.init_size = TEST_MEM;
	img = mk_bz("k.bz", &s);
	REFUSE("init_size beyond RAM", "k.bz", "too large");
	s = spec();
	s.align = 0x180000;
	img = mk_bz("k.bz", &s);
	REFUSE("kernel_alignment not a power of two", "k.bz", "kernel_alignment");

	s = spec();
	s.cmdline_size = 16;
	img = mk_bz("k.bz", &s);
	REFUSE("command line longer than cmdline_size", "k.bz", "too long",
	       env.o.cmdline = "0123456789abcdefg");
	env__reset();
	env.o.cmdline = "0123456789abcdef";
	check(!env__load(&img), "linux: a command line of exactly cmdline_size is taken");
	s.cmdline_size = 0xffffffff;
	img = mk_bz("k.bz", &s);
	memset(longline, 'x', sizeof(longline) - 1);
	REFUSE("command line longer than vmrun keeps", "k.bz", "vmrun keeps",
	       env.o.cmdline = longline);

	s = spec();
	img = mk_bz("k.bz", &s);
	rd = initrd("big.img", 3 * MiB);
	REFUSE("initrd too large for the RAM left", "big.img", "too large",
	       env.o.initrd = &rd);
	rd = initrd("empty.img", 0);
	REFUSE("empty initrd", "empty.img", "empty", env.o.initrd = &rd);
	rd = initrd("rd.img", 0x2000);
	s.initrd_max = 0xfffff;
	img = mk_bz("k.bz", &s);
	REFUSE("initrd_addr_max below the kernel", "rd.img", "initrd_addr_max",
	       env.o.initrd = &rd);

	s = spec();
	s.xloadflags = 0;
	img = mk_bz("k32.bz", &s);
	REFUSE("--mode long without a 64-bit entry", "k32.bz", "64-bit entry",
	       env.o.mode = MODE_LONG);
	REFUSE("--mode real", "k32.bz", "real mode", env.o.mode = MODE_REAL);
	REFUSE("--load-address", "k32.bz", "--load-address",
	       env.o.load_set = true, env.o.load_addr = 0x200000);

	memset(buf, 0x90, 512);
	img = image__from("boot.bin", buf, 512);
	REFUSE("--initrd with a flat image", "boot.bin", "--initrd needs a Linux kernel",
	       env.o.initrd = &rd);

	/* Auto-detection needs both magic numbers; otherwise it is flat. */
	s = spec();
	img = mk_bz("k.bz", &s);
	memcpy(buf + 0x202, "HdrZ", 4);
	env__reset();
	check(!env__load(&img) && !strcmp(env.p.boot.format, "flat binary"),
	      "linux: without \"HdrS\" an image is not detected as Linux");
}
#undef AS_LINUX
#undef REFUSE

/* Debian's kernel, when the project's cache has one: the real header. */
static void real_kernel(void)
{
	const char *name = "linux: Debian's vmlinuz plans in 128 MiB, at 16 MiB, 64-bit entry";
	struct gmem gm = { 0 };
	char err[320];
	struct image img;
	glob_t g;

	if (glob("../.cache/kernels/*/root/boot/vmlinuz-*", 0, NULL, &g) || !g.gl_pathc) {
		skip(name, "no kernel in ../.cache/kernels (scripts/deps fetches them)");
		return;
	}
	if (image__read(&img, g.gl_pathv[0], err, sizeof(err))) {
		skip(name, err);
		globfree(&g);
		return;
	}
	gmem__add(&gm, 0, 128 * MiB, NULL, "RAM");
	env__reset();
	env.o.mem_size = 128 * MiB;
	env.o.cmdline = "console=ttyS0";
	check(!load__plan(&env.p, &img, &env.o, &gm) && env.p.boot.mode == MODE_LONG &&
	      env.p.boot.entry == 0x1000200 && !strncmp(env.p.boot.format, "Linux bzImage ", 14),
	      "%s", name);
	note("  %s: %s", g.gl_pathv[0], env.p.err[0] ? env.p.err : env.p.boot.format);
	image__free(&img);
	globfree(&g);
}

void linux_tests(void)
{
	loads_64();
	loads_32();
	placement();
	e820_layouts();
	refusals();
	real_kernel();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The bundled example guests (../guests) go through the loaders as vmrun
 * would load them. Skipped when they are not built.
 */
#include <stdio.h>

#include "unit.h"

static void one(const char *file, enum boot_mode mode, const char *format,
		uint64_t entry)
{
	char path[64], err[320], name[96];
	struct image img;

	snprintf(path, sizeof(path), "../guests/%s", file);
	snprintf(name, sizeof(name), "guest %s: loads as %s", file, format);
	if (image__read(&img, path, err, sizeof(err))) {
		skip(name, err);
		return;
	}
	env__reset();
	check(!env__load(&img) && env.p.boot.mode == mode &&
	      !strcmp(env.p.boot.format, format) &&
	      (mode == MODE_REAL ? env.p.boot.ip == entry : env.p.boot.entry == entry),
	      "%s", name);
	if (env.p.err[0])
		note("  %s", env.p.err);
	image__free(&img);
}

void guest_image_tests(void)
{
	one("hello.bin", MODE_REAL, "flat binary", 0x7c00);
	one("echo.bin", MODE_REAL, "flat binary", 0x7c00);
	one("protected.elf", MODE_PROT, "ELF32", 0x100000);
	one("long.elf", MODE_LONG, "ELF64", 0x100000);
	one("multiboot.elf", MODE_PROT, "multiboot ELF32", 0x10000c);
}

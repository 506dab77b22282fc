// SPDX-License-Identifier: GPL-2.0
/*
 * ELF32 and ELF64 executables (loader_elf.c), each refusal on a crafted
 * file.
 */
#include <elf.h>
#include <stdio.h>

#include "unit.h"

static uint8_t buf[64 * 1024];

/* Two segments: code at 1 MiB, data + bss at 1 MiB + 64 KiB. */
static const struct seg_spec two[] = {
	{ PT_LOAD, 0x1000, 0x100000, 0x100000, 0x800, 0x800 },
	{ PT_LOAD, 0x2000, 0x110000, 0x110000, 0x100, 0x3000 },
};

static struct image elf(const char *name, bool is64, uint64_t entry,
			const struct seg_spec *segs, unsigned int nr)
{
	return image__from(name, buf, mk_elf(buf, sizeof(buf), is64, entry, segs, nr));
}

static void elf_loads(bool is64)
{
	const char *cls = is64 ? "ELF64" : "ELF32";
	struct image img = elf("k.elf", is64, 0x100010, two, 2);
	struct seg_spec moved[2] = { two[0], two[1] };

	env__reset();
	check(!env__load(&img) && mem_is(0x100000, buf + 0x1000, 0x800) &&
	      mem_is(0x110000, buf + 0x2000, 0x100) &&
	      mem_is(0x110100, NULL, 0x3000 - 0x100),
	      "%s: segments copied to p_paddr, bss zeroed", cls);
	check(env.p.boot.mode == (is64 ? MODE_LONG : MODE_PROT) &&
	      env.p.boot.entry == 0x100010,
	      "%s: starts in %s mode at the entry point", cls,
	      is64 ? "long" : "protected");
	check(env.ram[0x100800] == SENTINEL && env.ram[0x113000] == SENTINEL,
	      "%s: nothing written past the segments", cls);

	/* Linked high, loaded low: the entry is translated like p_vaddr. */
	moved[0].vaddr = 0xc0100000;
	moved[1].vaddr = 0xc0110000;
	img = elf("high.elf", is64, 0xc0100020, moved, 2);
	env__reset();
	check(!env__load(&img) && env.p.boot.entry == 0x100020 &&
	      mem_is(0x100000, buf + 0x1000, 0x800),
	      "%s: a virtual entry runs at its physical address", cls);

	env__reset();
	env.o.mode = is64 ? MODE_PROT : MODE_LONG;
	img = elf("k.elf", is64, 0x100010, two, 2);
	check(!env__load(&img) && env.p.boot.mode == env.o.mode,
	      "%s: --mode overrides the class", cls);
}

/* Patch the file header of @img (in buf) at @off with @len bytes of @v. */
static void patch(size_t off, uint64_t v, size_t len)
{
	memcpy(buf + off, &v, len);
}

static void elf_refusals(bool is64)
{
	const char *cls = is64 ? "ELF64" : "ELF32";
	size_t phoff = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t phsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	/* Offsets of e_type, e_machine, e_phnum and p_offset, p_memsz. */
	size_t o_phnum = is64 ? 56 : 44;
	size_t o_poff = is64 ? 8 : 4, o_pfilesz = is64 ? 32 : 16;
	struct seg_spec s[2] = { two[0], two[1] };
	struct image img;
	char name[64];

#define REFUSE(what, ...) do {						\
		snprintf(name, sizeof(name), __VA_ARGS__);		\
		env__reset();						\
		expect_refused(name, &img, "bad.elf", what);		\
	} while (0)

	img = elf("bad.elf", is64, 0x100010, two, 2);
	img.size = 30;
	REFUSE("truncated", "%s header cut short", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	img.size = 10;
	REFUSE("truncated", "%s identification cut short", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	img.size = phoff + phsize + 4;
	REFUSE("truncated", "%s program headers cut short", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	img.size = 0x2000 + 0x80;
	REFUSE("truncated", "%s segment data cut short", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	patch(phoff + o_poff, 0xffffffffull, is64 ? 8 : 4);
	REFUSE("truncated", "%s segment offset past the end", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	patch(phoff + phsize + o_pfilesz, 0x4000, is64 ? 8 : 4);
	img.size = 0x6000;
	REFUSE("malformed", "%s file size above memory size", cls);

	s[1].paddr = 0x100400;		/* inside segment 0 */
	img = elf("bad.elf", is64, 0x100010, s, 2);
	REFUSE("overlapping", "%s overlapping segments", cls);

	s[1] = two[1];
	s[1].paddr = TEST_MEM - 0x1000;
	img = elf("bad.elf", is64, 0x100010, s, 2);
	REFUSE("too large", "%s segment beyond guest RAM", cls);

	s[1] = two[1];
	s[1].memsz = TEST_MEM;
	img = elf("bad.elf", is64, 0x100010, s, 2);
	REFUSE("too large", "%s bss bigger than guest RAM", cls);

	s[1] = two[1];
	s[1].paddr = s[1].vaddr = 0x2000;
	img = elf("bad.elf", is64, 0x100010, s, 2);
	REFUSE("overlapping", "%s segment on vmrun's page tables", cls);

	if (!is64) {
		s[1] = two[1];
		s[1].paddr = 0xfffff000;
		s[1].memsz = 0x2000;
		img = elf("bad.elf", is64, 0x100010, s, 2);
		REFUSE("malformed", "%s segment past 4 GiB", cls);
	}

	img = elf("bad.elf", is64, 0x500000, two, 2);
	REFUSE("malformed", "%s entry outside every segment", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	patch(16, ET_DYN, 2);
	REFUSE("malformed", "%s not ET_EXEC", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	patch(18, EM_ARM, 2);
	REFUSE("malformed", "%s wrong machine", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	buf[EI_DATA] = ELFDATA2MSB;
	REFUSE("malformed", "%s big-endian", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	buf[EI_CLASS] = 7;
	REFUSE("malformed", "%s unknown class", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	patch(o_phnum, 0, 2);
	REFUSE("malformed", "%s no program headers", cls);

	s[0] = two[0];
	s[0].type = PT_NOTE;
	s[1] = two[1];
	s[1].type = PT_NOTE;
	img = elf("bad.elf", is64, 0x100010, s, 2);
	REFUSE("malformed", "%s no PT_LOAD", cls);

	img = elf("bad.elf", is64, 0x100010, two, 2);
	env__reset();
	env.o.load_set = true;
	env.o.load_addr = 0x1000;
	expect_refused("ELF: with --load-address", &img, "bad.elf", "flat binaries");
#undef REFUSE
}

void elf_tests(void)
{
	struct image img;

	elf_loads(false);
	elf_loads(true);
	elf_refusals(false);
	elf_refusals(true);

	/* --format elf on something else. */
	memset(buf, 0x90, 512);
	img = image__from("flat.bin", buf, 512);
	env__reset();
	env.o.format = FMT_ELF;
	expect_refused("ELF: --format elf on a flat file", &img, "flat.bin", "not an ELF");
}

// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: ELF32 and ELF64 executables. Each PT_LOAD segment is copied to
 * its physical address (p_paddr), its bss zeroed; an ELF32 file starts in
 * 32-bit protected mode and an ELF64 file in long mode, at the entry
 * point. The structures are <elf.h>'s (the System V ABI's).
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

/* The file header of either class, widened. */
struct elf_hdr {
	bool is64;
	uint16_t type, machine, phentsize, phnum;
	uint64_t entry, phoff;
};

struct elf_phdr {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

bool elf__is_elf(const struct image *img)
{
	return img->size >= SELFMAG && !memcmp(img->data, ELFMAG, SELFMAG);
}

static int read_ident(struct load_plan *p, const struct image *img)
{
	const uint8_t *d = img->data;

	if (img->size < EI_NIDENT)
		return plan__fail(p, img, "truncated: %zu bytes, fewer than an ELF identification's %d",
				  img->size, EI_NIDENT);
	if (!elf__is_elf(img))
		return plan__fail(p, img, "malformed: not an ELF file (bad magic)");
	if (d[EI_CLASS] != ELFCLASS32 && d[EI_CLASS] != ELFCLASS64)
		return plan__fail(p, img, "malformed: ELF class %u is neither 32- nor 64-bit",
				  d[EI_CLASS]);
	if (d[EI_DATA] != ELFDATA2LSB)
		return plan__fail(p, img, "malformed: not a little-endian ELF file");
	if (d[EI_VERSION] != EV_CURRENT)
		return plan__fail(p, img, "malformed: ELF version %u", d[EI_VERSION]);
	return 0;
}

static int read_ehdr(struct load_plan *p, const struct image *img,
		     struct elf_hdr *e)
{
	size_t need, phsize;
	Elf32_Ehdr h32;
	Elf64_Ehdr h64;

	if (read_ident(p, img))
		return -1;
	e->is64 = img->data[EI_CLASS] == ELFCLASS64;
	need = e->is64 ? sizeof(h64) : sizeof(h32);
	if (img->size < need)
		return plan__fail(p, img, "truncated: the ELF header needs %zu bytes, the file has %zu",
				  need, img->size);
	if (e->is64) {
		memcpy(&h64, img->data, sizeof(h64));
		*e = (struct elf_hdr){ true, h64.e_type, h64.e_machine,
			h64.e_phentsize, h64.e_phnum, h64.e_entry, h64.e_phoff };
		phsize = sizeof(Elf64_Phdr);
	} else {
		memcpy(&h32, img->data, sizeof(h32));
		*e = (struct elf_hdr){ false, h32.e_type, h32.e_machine,
			h32.e_phentsize, h32.e_phnum, h32.e_entry, h32.e_phoff };
		phsize = sizeof(Elf32_Phdr);
	}
	if (e->type != ET_EXEC)
		return plan__fail(p, img, "malformed: ELF type %u is not an executable (ET_EXEC)",
				  e->type);
	if (e->machine != (e->is64 ? EM_X86_64 : EM_386))
		return plan__fail(p, img, "malformed: ELF machine %u is not %s",
				  e->machine, e->is64 ? "x86-64 (EM_X86_64)" : "i386 (EM_386)");
	if (!e->phnum)
		return plan__fail(p, img, "malformed: no program headers");
	if (e->phentsize != phsize)
		return plan__fail(p, img, "malformed: program headers of %u bytes, not %zu",
				  e->phentsize, phsize);
	if (e->phoff > img->size ||
	    (uint64_t)e->phnum * phsize > img->size - e->phoff)
		return plan__fail(p, img, "truncated: %u program headers at offset %#llx end past the end of the file (%zu bytes)",
				  e->phnum, (unsigned long long)e->phoff, img->size);
	return 0;
}

static void read_phdr(const struct image *img, const struct elf_hdr *e,
		      unsigned int i, struct elf_phdr *ph)
{
	const uint8_t *at = img->data + e->phoff + (uint64_t)i * e->phentsize;
	Elf32_Phdr p32;
	Elf64_Phdr p64;

	if (e->is64) {
		memcpy(&p64, at, sizeof(p64));
		*ph = (struct elf_phdr){ p64.p_type, p64.p_offset, p64.p_vaddr,
			p64.p_paddr, p64.p_filesz, p64.p_memsz };
	} else {
		memcpy(&p32, at, sizeof(p32));
		*ph = (struct elf_phdr){ p32.p_type, p32.p_offset, p32.p_vaddr,
			p32.p_paddr, p32.p_filesz, p32.p_memsz };
	}
}

static int check_phdr(struct load_plan *p, const struct image *img,
		      const struct elf_hdr *e, unsigned int i,
		      const struct elf_phdr *ph)
{
	uint64_t limit = e->is64 ? UINT64_MAX : 4 * GiB - 1;

	if (ph->offset > img->size || ph->filesz > img->size - ph->offset)
		return plan__fail(p, img, "truncated: segment %u (offset %#llx, %#llx bytes) ends past the end of the file (%zu bytes)",
				  i, (unsigned long long)ph->offset,
				  (unsigned long long)ph->filesz, img->size);
	if (ph->filesz > ph->memsz)
		return plan__fail(p, img, "malformed: segment %u has more bytes in the file (%#llx) than in memory (%#llx)",
				  i, (unsigned long long)ph->filesz,
				  (unsigned long long)ph->memsz);
	if (ph->memsz && (ph->paddr > limit || ph->memsz - 1 > limit - ph->paddr))
		return plan__fail(p, img, "malformed: segment %u at %#llx (%#llx bytes) runs past the end of the address space",
				  i, (unsigned long long)ph->paddr,
				  (unsigned long long)ph->memsz);
	return 0;
}

int elf__plan_segments(struct load_plan *p, const struct image *img,
		       uint64_t *entry, bool *is64)
{
	struct elf_hdr e = { 0 };
	struct elf_phdr ph;
	unsigned int i, nr_load = 0;
	bool found = false;
	char what[32];

	if (read_ehdr(p, img, &e))
		return -1;
	for (i = 0; i < e.phnum; i++) {
		read_phdr(img, &e, i, &ph);
		if (ph.type != PT_LOAD)
			continue;
		if (check_phdr(p, img, &e, i, &ph))
			return -1;
		if (!ph.memsz)
			continue;
		snprintf(what, sizeof(what), "segment %u", i);
		if (plan__add(p, img, ph.paddr, img->data + ph.offset,
			      ph.filesz, ph.memsz, what))
			return -1;
		nr_load++;
		/* The entry is virtual; run it at its physical address. */
		if (!found && e.entry >= ph.vaddr && e.entry - ph.vaddr < ph.memsz) {
			*entry = e.entry - ph.vaddr + ph.paddr;
			found = true;
		}
	}
	if (!nr_load)
		return plan__fail(p, img, "malformed: no loadable (PT_LOAD) segment");
	if (!found)
		return plan__fail(p, img, "malformed: entry point %#llx is not inside any loadable segment",
				  (unsigned long long)e.entry);
	*is64 = e.is64;
	return 0;
}

int load__elf(struct load_plan *p, const struct image *img,
	      const struct load_opts *o)
{
	uint64_t entry;
	bool is64;

	if (o->load_set)
		return plan__fail(p, img, "--load-address is for flat binaries; an ELF file says where it goes");
	if (o->mode == MODE_REAL || o->entry_segmented)
		return plan__fail(p, img, "an ELF file starts in protected or long mode, not real mode");
	if (loader__reserve_tables(p) || elf__plan_segments(p, img, &entry, &is64))
		return -1;
	p->boot.mode = o->mode != MODE_AUTO ? o->mode : is64 ? MODE_LONG : MODE_PROT;
	p->boot.format = is64 ? "ELF64" : "ELF32";
	p->boot.entry = o->entry_set ? o->entry : entry;
	p->boot.rsp = VMRUN_STACK_TOP;
	if (p->boot.mode == MODE_PROT && p->boot.entry >= 4 * GiB)
		return plan__fail(p, img, "entry point %#llx: beyond the 4 GiB protected mode reaches",
				  (unsigned long long)p->boot.entry);
	return 0;
}

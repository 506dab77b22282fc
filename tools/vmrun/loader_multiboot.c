// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: Multiboot (version 1) kernels, as the Multiboot Specification
 * 0.6.96 describes them.
 *
 * The header, 4-byte aligned within the first 8192 bytes, says where the
 * kernel goes either through its address fields (flag 16) or, without
 * them, through the ELF program headers. A header whose address fields do
 * not make sense falls back to the ELF headers when there are any. Modules
 * follow the kernel, each on a page boundary. The information structure,
 * memory map and strings live at VMRUN_MBI_GPA. The kernel starts in flat
 * 32-bit protected mode with paging off and interrupts disabled, with
 * EAX = 0x2BADB002 and EBX = the information structure's address.
 */
#include <stdio.h>
#include <string.h>

#include "loader.h"

#define MB_FLAG_PAGE_ALIGN	(1u << 0)
#define MB_FLAG_MEMORY_INFO	(1u << 1)
#define MB_FLAG_VIDEO_MODE	(1u << 2)
#define MB_FLAG_ADDRESSES	(1u << 16)
#define MB_FLAGS_REQUIRED	0xffffu		/* bits a loader must know */

#define MB_INFO_MEMORY		(1u << 0)
#define MB_INFO_CMDLINE		(1u << 2)
#define MB_INFO_MODS		(1u << 3)
#define MB_INFO_MMAP		(1u << 6)
#define MB_INFO_LOADER_NAME	(1u << 9)

/* Offsets in the information structure (the specification's table). */
#define MBI_FLAGS		0
#define MBI_MEM_LOWER		4
#define MBI_MEM_UPPER		8
#define MBI_CMDLINE		16
#define MBI_MODS_COUNT		20
#define MBI_MODS_ADDR		24
#define MBI_MMAP_LENGTH		44
#define MBI_MMAP_ADDR		48
#define MBI_LOADER_NAME		64

/* Where things go inside the VMRUN_MBI_SIZE bytes at VMRUN_MBI_GPA. */
#define AT_INFO			0x000		/* 116 bytes used */
#define AT_MMAP			0x080
#define AT_NAME			0x0e0
#define AT_MODS			0x100		/* 16 bytes per module */
#define AT_STRINGS		0x200

#define MMAP_AVAILABLE		1
#define MMAP_RESERVED		2

struct mb_header {
	uint32_t magic, flags, checksum;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
};

/* The first valid header; *@bad = the first magic with a bad checksum. */
static long mb_scan(const struct image *img, long *bad)
{
	size_t end = img->size < MB_SEARCH ? img->size : MB_SEARCH;
	const uint8_t *d = img->data;
	size_t off;

	*bad = -1;
	for (off = 0; off + 12 <= end; off += 4) {
		if (get_le32(d + off) != MB_HEADER_MAGIC)
			continue;
		if (MB_HEADER_MAGIC + get_le32(d + off + 4) + get_le32(d + off + 8) == 0)
			return off;
		if (*bad < 0)
			*bad = off;
	}
	return -1;
}

long mb__find_header(const struct image *img)
{
	long bad;

	return mb_scan(img, &bad);
}

/*
 * The address fields, checked against the file. NULL when they work;
 * else the problem, in @buf.
 */
static const char *check_addresses(const struct mb_header *h, long off,
				   size_t size, uint64_t *file_off,
				   uint64_t *filesz, uint64_t *memsz,
				   char *buf, size_t len)
{
	uint64_t before = (uint64_t)h->header_addr - h->load_addr;

	if (h->header_addr < h->load_addr)
		snprintf(buf, len, "malformed: multiboot header_addr %#x is below load_addr %#x",
			 h->header_addr, h->load_addr);
	else if (before > (uint64_t)off)
		snprintf(buf, len, "malformed: multiboot load_addr %#x would start %#llx bytes before the file",
			 h->load_addr, (unsigned long long)(before - off));
	else if (h->load_end_addr && h->load_end_addr <= h->load_addr)
		snprintf(buf, len, "malformed: multiboot load_end_addr %#x is not above load_addr %#x",
			 h->load_end_addr, h->load_addr);
	else
		buf[0] = '\0';
	if (buf[0])
		return buf;
	*file_off = off - before;
	*filesz = h->load_end_addr ? (uint64_t)h->load_end_addr - h->load_addr
				   : size - *file_off;
	if (*filesz > size - *file_off) {
		snprintf(buf, len, "truncated: multiboot load_end_addr %#x needs %#llx bytes from offset %#llx, the file has %#zx",
			 h->load_end_addr, (unsigned long long)*filesz,
			 (unsigned long long)*file_off, size);
		return buf;
	}
	*memsz = *filesz;
	if (h->bss_end_addr) {
		if (h->bss_end_addr < h->load_addr + *filesz) {
			snprintf(buf, len, "malformed: multiboot bss_end_addr %#x is below the end of the loaded part %#llx",
				 h->bss_end_addr,
				 (unsigned long long)(h->load_addr + *filesz));
			return buf;
		}
		*memsz = (uint64_t)h->bss_end_addr - h->load_addr;
	}
	if (h->entry_addr < h->load_addr || h->entry_addr - h->load_addr >= *memsz) {
		snprintf(buf, len, "malformed: multiboot entry_addr %#x is outside the image at %#x-%#llx",
			 h->entry_addr, h->load_addr,
			 (unsigned long long)(h->load_addr + *memsz - 1));
		return buf;
	}
	return NULL;
}

/* Plan the kernel itself; *@entry is where it starts. */
static int plan_kernel(struct load_plan *p, const struct image *img, long off,
		       const struct mb_header *h, uint64_t *entry)
{
	uint64_t file_off, filesz, memsz;
	const char *problem = NULL;
	char buf[200];
	bool is64;

	if (h->flags & MB_FLAG_ADDRESSES) {
		if ((size_t)off + sizeof(*h) > img->size)
			return plan__fail(p, img, "truncated: the multiboot header's address fields run past the end of the file");
		problem = check_addresses(h, off, img->size, &file_off, &filesz,
					  &memsz, buf, sizeof(buf));
		if (!problem) {
			p->boot.format = "multiboot (address fields)";
			*entry = h->entry_addr;
			return plan__add(p, img, h->load_addr, img->data + file_off,
					 filesz, memsz, "the kernel");
		}
	}
	if (!elf__is_elf(img)) {
		if (problem)
			return plan__fail(p, img, "%s", problem);
		return plan__fail(p, img, "malformed: the multiboot header has no address fields (flag 16) and the file is not ELF");
	}
	if (elf__plan_segments(p, img, entry, &is64))
		return -1;
	p->boot.format = is64 ? "multiboot ELF64" : "multiboot ELF32";
	if (*entry >= 4 * GiB)
		return plan__fail(p, img, "malformed: entry point %#llx is beyond 4 GiB",
				  (unsigned long long)*entry);
	return 0;
}

/* Append @a and, when there is one, " @b"; the guest address, or 0. */
static uint32_t add_string(struct load_plan *p, size_t *used, const char *a,
			   const char *b)
{
	size_t n = strlen(a) + (b ? 1 + strlen(b) : 0) + 1;
	uint32_t at = VMRUN_MBI_GPA + *used;

	if (n > VMRUN_MBI_SIZE - *used)
		return 0;
	snprintf((char *)p->info + *used, n, "%s%s%s", a, b ? " " : "", b ? b : "");
	*used += n;
	return at;
}

static void put_mmap(uint8_t *e, uint64_t base, uint64_t len, uint32_t type)
{
	put_le32(e, 20);		/* the entry's size, not counting this field */
	put_le64(e + 4, base);
	put_le64(e + 12, len);
	put_le32(e + 20, type);
}

/* Modules after the kernel, then the information structure. */
static int plan_info(struct load_plan *p, const struct image *img,
		     const struct load_opts *o)
{
	uint64_t at = p->kernel_end > 1 * MiB ? p->kernel_end : 1 * MiB;
	uint8_t *mbi = p->info, *mod;
	size_t used = AT_STRINGS;
	const struct load_module *m;
	uint32_t s;
	unsigned int i;
	char what[24];

	memset(mbi, 0, AT_STRINGS);
	for (i = 0; i < o->nr_modules; i++) {
		m = &o->modules[i];
		at = (at + 4095) & ~4095ull;
		snprintf(what, sizeof(what), "module %u", i + 1);
		if (plan__add(p, &m->img, at, m->img.data, m->img.size,
			      m->img.size, what))
			return -1;
		s = add_string(p, &used, m->img.name, m->args);
		if (!s)
			break;
		mod = mbi + AT_MODS + 16 * i;
		put_le32(mod, at);
		put_le32(mod + 4, at + m->img.size);
		put_le32(mod + 8, s);
		at += m->img.size;
		if (at > 4 * GiB)
			return plan__fail(p, &m->img, "too large: modules reach past 4 GiB");
	}
	s = i < o->nr_modules ? 0 : add_string(p, &used, img->name, o->cmdline);
	if (!s)
		return plan__fail(p, img, "too large: the command line and module arguments need more than the %llu bytes vmrun keeps for them",
				  VMRUN_MBI_SIZE - AT_STRINGS);
	put_le32(mbi + MBI_FLAGS, MB_INFO_MEMORY | MB_INFO_CMDLINE | MB_INFO_MODS |
		 MB_INFO_MMAP | MB_INFO_LOADER_NAME);
	put_le32(mbi + MBI_MEM_LOWER, LOW_RAM_END / KiB);
	put_le32(mbi + MBI_MEM_UPPER, (o->mem_size - 1 * MiB) / KiB);
	put_le32(mbi + MBI_CMDLINE, s);
	put_le32(mbi + MBI_MODS_COUNT, o->nr_modules);
	put_le32(mbi + MBI_MODS_ADDR, VMRUN_MBI_GPA + AT_MODS);
	/* A PC's map: low RAM, the EBDA, the BIOS area, RAM above 1 MiB. */
	put_mmap(mbi + AT_MMAP, 0, LOW_RAM_END, MMAP_AVAILABLE);
	put_mmap(mbi + AT_MMAP + 24, LOW_RAM_END, 0xa0000 - LOW_RAM_END, MMAP_RESERVED);
	put_mmap(mbi + AT_MMAP + 48, 0xf0000, 0x10000, MMAP_RESERVED);
	put_mmap(mbi + AT_MMAP + 72, 1 * MiB, o->mem_size - 1 * MiB, MMAP_AVAILABLE);
	put_le32(mbi + MBI_MMAP_LENGTH, 4 * 24);
	put_le32(mbi + MBI_MMAP_ADDR, VMRUN_MBI_GPA + AT_MMAP);
	strcpy((char *)mbi + AT_NAME, "vmrun");
	put_le32(mbi + MBI_LOADER_NAME, VMRUN_MBI_GPA + AT_NAME);
	return plan__add(p, NULL, VMRUN_MBI_GPA, mbi, used, used,
			 "the multiboot information");
}

int load__multiboot(struct load_plan *p, const struct image *img,
		    const struct load_opts *o)
{
	struct mb_header h = { 0 };
	uint64_t entry;
	long off, bad;

	off = mb_scan(img, &bad);
	if (off < 0 && bad >= 0)
		return plan__fail(p, img, "malformed: the multiboot header at offset %#lx has a bad checksum",
				  bad);
	if (off < 0)
		return plan__fail(p, img, "malformed: no multiboot header in the first %d bytes",
				  MB_SEARCH);
	memcpy(&h, img->data + off, img->size - off < sizeof(h) ? img->size - off : sizeof(h));
	if (h.flags & MB_FLAG_VIDEO_MODE)
		return plan__fail(p, img, "unsupported: the kernel requires a video mode (multiboot flag 2); vmrun has no display");
	if (h.flags & MB_FLAGS_REQUIRED & ~(MB_FLAG_PAGE_ALIGN | MB_FLAG_MEMORY_INFO))
		return plan__fail(p, img, "unsupported: the kernel requires multiboot features vmrun does not know (flags %#x)",
				  h.flags & MB_FLAGS_REQUIRED);
	if (o->load_set || o->entry_set || (o->mode != MODE_AUTO && o->mode != MODE_PROT))
		return plan__fail(p, img, "a multiboot kernel starts in 32-bit protected mode where its headers say; --load-address, --entry and --mode do not apply");
	if (loader__reserve_tables(p) || plan_kernel(p, img, off, &h, &entry) ||
	    plan_info(p, img, o))
		return -1;
	p->boot.mode = MODE_PROT;
	p->boot.entry = entry;
	p->boot.rsp = VMRUN_STACK_TOP;
	p->boot.multiboot = true;
	p->boot.eax = MB_BOOT_MAGIC;
	p->boot.ebx = VMRUN_MBI_GPA;
	return 0;
}

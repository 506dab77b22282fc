// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: Linux bzImages, started through the 64-bit (or 32-bit) boot
 * protocol of the kernel's Documentation/arch/x86/boot.rst. The zero page
 * is zero-page.rst's struct boot_params; field names are <asm/bootparam.h>'s.
 *
 * The kernel's real-mode setup code is not run: vmrun does its job. It
 * builds a zero page from the image's setup header and what a boot loader
 * adds (e820 map, command line, initrd), copies the protected-mode kernel,
 * and starts it at its 64-bit entry point (load address + 0x200) in long
 * mode, or at its 32-bit entry point (the load address) in flat protected
 * mode when the kernel has no 64-bit one or --mode protected asks. Either
 * way with CS = __BOOT_CS, DS = ES = SS = __BOOT_DS, interrupts off and
 * RSI = the zero page (and, for 32 bits, EBP = EDI = EBX = 0).
 *
 * Guest-physical memory:
 *
 *   0x1000-0x7fff   vmrun's GDT, TSS and page tables (libtinyvmx's long
 *                   mode) identity-mapping the first 4 GiB: that covers
 *                   the kernel's init_size window, the zero page, the
 *                   command line and the initrd, since all are placed
 *                   below 4 GiB
 *   0x8000-0x8fff   the zero page
 *   0x9000-0x901f   the boot GDT: null, null, __BOOT_CS, __BOOT_DS
 *   0x9100-         the command line (up to 28 KiB)
 *   pref_address    the protected-mode kernel, then the rest of its
 *                   init_size window (16 MiB for Debian's kernels)
 *   below the top   the initrd: the highest page that ends below
 *                   initrd_addr_max, the end of low RAM and 4 GiB
 *
 * The e820 map calls 0-0x9fbff RAM although vmrun's tables and the zero
 * page sit there, as every PC boot loader's do: the decompressor reads the
 * zero page and command line and replaces the page tables before it writes
 * anywhere but its own window and the top of low memory (its 5-level
 * paging trampoline, near 0x9d000), and the kernel proper keeps the whole
 * first MiB out of its allocator (x86's "reserve the first 1M" rule).
 */
#include <stdio.h>
#include <string.h>

#include "loader.h"

/* Offsets in the image's first sectors, which are the zero page's too. */
#define BP_E820_ENTRIES		0x1e8
#define HDR_START		0x1f1	/* setup_sects: the setup header */
#define HDR_SETUP_SECTS		0x1f1
#define HDR_SYSSIZE		0x1f4
#define HDR_VID_MODE		0x1fa
#define HDR_BOOT_FLAG		0x1fe
#define HDR_JUMP		0x200
#define HDR_MAGIC		0x202
#define HDR_VERSION		0x206
#define HDR_KERNEL_VERSION	0x20e
#define HDR_TYPE_OF_LOADER	0x210
#define HDR_LOADFLAGS		0x211
#define HDR_CODE32_START	0x214
#define HDR_RAMDISK_IMAGE	0x218
#define HDR_RAMDISK_SIZE	0x21c
#define HDR_HEAP_END_PTR	0x224
#define HDR_CMD_LINE_PTR	0x228
#define HDR_INITRD_ADDR_MAX	0x22c
#define HDR_KERNEL_ALIGNMENT	0x230
#define HDR_RELOCATABLE		0x234
#define HDR_XLOADFLAGS		0x236
#define HDR_CMDLINE_SIZE	0x238
#define HDR_HARDWARE_SUBARCH	0x23c
#define HDR_SETUP_DATA		0x250
#define HDR_PREF_ADDRESS	0x258
#define HDR_INIT_SIZE		0x260
#define HDR_MIN_END		0x264	/* through init_size, the last we read */
#define HDR_MAX_END		0x290	/* where boot_params' next field starts */
#define BP_E820_TABLE		0x2d0
#define BP_SIZE			0x1000

#define BOOT_FLAG		0xaa55
#define HDRS_MAGIC		0x53726448	/* "HdrS" */
#define JMP_SHORT		0xeb
/*
 * 2.12 (Linux 3.8) added xloadflags, which says whether the 64-bit entry
 * point exists; every field vmrun reads or writes is older than that.
 */
#define PROTOCOL_MIN		0x020c

#define LOADED_HIGH		(1u << 0)	/* loadflags: a bzImage */
#define CAN_USE_HEAP		(1u << 7)
#define XLF_KERNEL_64		(1u << 0)	/* xloadflags */
#define LOADER_UNDEFINED	0xff		/* type_of_loader: no ID */
/*
 * heap_end_ptr as a 16-bit loader sets it for a setup segment of 64 KiB
 * with the stack at its top; only the real-mode setup code, which vmrun
 * skips, reads it.
 */
#define HEAP_END		0xfe00
#define VID_MODE_NORMAL		0xffff		/* "vga=normal" */
#define SUBARCH_PC		0
#define KERNEL_LOW		(1 * MiB)	/* a bzImage's traditional home */
#define ENTRY_64_OFFSET		0x200		/* startup_64 */

#define E820_ENTRY_SIZE		20
#define E820_MAX		128
#define E820_RAM		1
#define E820_RESERVED		2

/*
 * The boot GDT's descriptors: flat 4 GiB, present, DPL 0, accessed, the
 * same as the hidden parts libtinyvmx gives CS and the data segments.
 */
#define DESC_CODE64		0x00af9b000000ffffull	/* execute/read, L=1 */
#define DESC_CODE32		0x00cf9b000000ffffull	/* execute/read, D=1 */
#define DESC_DATA		0x00cf93000000ffffull	/* read/write */
#define GDT_LIMIT		(4 * 8 - 1)

#define PAGE_SIZE		4096ull

/* What the loader learns from the setup header, and where things go. */
struct bz {
	uint16_t version;
	unsigned int hdr_end;		/* 0x202 + the jump's offset */
	unsigned int setup_size;	/* the file's bytes before the kernel */
	uint64_t kernel_size;		/* syssize * 16 */
	bool relocatable, entry64;
	uint64_t load, end;		/* the kernel and its init_size window */
	uint64_t initrd_at;
};

bool linux__is_bzimage(const struct image *img)
{
	return img->size >= HDR_MAGIC + 4 &&
	       get_le16(img->data + HDR_BOOT_FLAG) == BOOT_FLAG &&
	       get_le32(img->data + HDR_MAGIC) == HDRS_MAGIC;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* The magic numbers, the version, and the sizes of the file's parts. */
static int read_header(struct load_plan *p, const struct image *img,
		       struct bz *k)
{
	const uint8_t *d = img->data;
	unsigned int sects;

	if (img->size < HDR_VERSION + 2)
		return plan__fail(p, img, "truncated: %zu bytes, too short for a Linux setup header",
				  img->size);
	if (!linux__is_bzimage(img))
		return plan__fail(p, img, "malformed: not a Linux bzImage (no 0xAA55 at 0x1fe and \"HdrS\" at 0x202)");
	k->version = get_le16(d + HDR_VERSION);
	if (k->version < PROTOCOL_MIN)
		return plan__fail(p, img, "unsupported: Linux boot protocol %u.%02u; vmrun needs 2.12 (Linux 3.8) or later",
				  k->version >> 8, k->version & 0xff);
	if (d[HDR_JUMP] != JMP_SHORT)
		return plan__fail(p, img, "malformed: no short jump at 0x200 to give the setup header's length");
	k->hdr_end = HDR_MAGIC + (int8_t)d[HDR_JUMP + 1];
	if (k->hdr_end < HDR_MIN_END || k->hdr_end > HDR_MAX_END)
		return plan__fail(p, img, "malformed: the setup header ends at %#x; protocol 2.12 puts its end between %#x and %#x",
				  k->hdr_end, HDR_MIN_END, HDR_MAX_END);
	sects = d[HDR_SETUP_SECTS] ? d[HDR_SETUP_SECTS] : 4;
	k->setup_size = (sects + 1) * 512;
	if (k->setup_size > img->size)
		return plan__fail(p, img, "truncated: setup_sects %u puts the kernel at offset %#x, past the end of the file (%zu bytes)",
				  sects, k->setup_size, img->size);
	if (!(d[HDR_LOADFLAGS] & LOADED_HIGH))
		return plan__fail(p, img, "unsupported: a zImage (loadflags bit 0 clear) loads below 1 MiB; vmrun boots bzImages");
	k->kernel_size = (uint64_t)get_le32(d + HDR_SYSSIZE) * 16;
	if (!k->kernel_size)
		return plan__fail(p, img, "malformed: syssize is 0, no protected-mode kernel");
	if (k->kernel_size > img->size - k->setup_size)
		return plan__fail(p, img, "truncated: syssize says %#llx bytes of kernel from offset %#x; the file has %#zx",
				  (unsigned long long)k->kernel_size, k->setup_size,
				  img->size - k->setup_size);
	return 0;
}

/*
 * boot.rst's "runtime start": a relocatable kernel runs at its load
 * address rounded up to kernel_alignment, but not below pref_address, so
 * vmrun loads it right there; a fixed one runs at pref_address whatever
 * the load address, and is loaded at 1 MiB. The kernel then needs
 * init_size bytes from its runtime start.
 */
static int place_kernel(struct load_plan *p, const struct image *img,
			struct bz *k)
{
	const uint8_t *d = img->data;
	uint32_t align = get_le32(d + HDR_KERNEL_ALIGNMENT);
	uint64_t pref = get_le64(d + HDR_PREF_ADDRESS), runtime;

	k->relocatable = d[HDR_RELOCATABLE];
	if (pref >= 4 * GiB)
		return plan__fail(p, img, "unsupported: pref_address %#llx is beyond the 4 GiB vmrun maps",
				  (unsigned long long)pref);
	if (k->relocatable) {
		if (!align || align & (align - 1))
			return plan__fail(p, img, "malformed: kernel_alignment %#x is not a power of two",
					  align);
		runtime = pref > KERNEL_LOW ? pref : KERNEL_LOW;
		runtime = (runtime + align - 1) & ~(uint64_t)(align - 1);
		k->load = runtime;
	} else {
		if (pref < KERNEL_LOW)
			return plan__fail(p, img, "malformed: a kernel that cannot relocate asks for pref_address %#llx, below 1 MiB",
					  (unsigned long long)pref);
		runtime = pref;
		k->load = KERNEL_LOW;
	}
	k->end = runtime + get_le32(d + HDR_INIT_SIZE);
	if (k->load + k->kernel_size > k->end)
		k->end = k->load + k->kernel_size;
	if (k->end > 4 * GiB)
		return plan__fail(p, img, "too large: the kernel needs memory up to %#llx, beyond the 4 GiB vmrun maps",
				  (unsigned long long)k->end);
	return plan__add(p, img, k->load, d + k->setup_size, k->kernel_size,
			 k->end - k->load, "the kernel");
}

/* The highest page-aligned start for @size bytes in [@lo, @hi), or 0. */
static uint64_t fit_below(uint64_t lo, uint64_t hi, uint64_t size)
{
	uint64_t at;

	if (hi < lo || hi - lo < size)
		return 0;
	at = (hi - size) & ~(PAGE_SIZE - 1);
	return at >= lo ? at : 0;
}

/*
 * As high as possible, as boot.rst asks, so that the kernel's own
 * allocations below find room: above the kernel's window, or failing
 * that between 1 MiB and the kernel.
 */
static int place_initrd(struct load_plan *p, const struct image *img,
			const struct load_opts *o, struct bz *k,
			const struct gmem *layout)
{
	const struct image *rd = o->initrd;
	const struct gmem_region *low = gmem__find(layout, 0, 1);
	uint64_t top = (uint64_t)get_le32(img->data + HDR_INITRD_ADDR_MAX) + 1;

	if (!rd)
		return 0;
	if (!rd->size)
		return plan__fail(p, rd, "empty: the initrd has no bytes");
	top = min_u64(top, low ? low->size : 0);
	top = min_u64(top, 4 * GiB);
	k->initrd_at = fit_below(k->end, top, rd->size);
	if (!k->initrd_at)
		k->initrd_at = fit_below(KERNEL_LOW, min_u64(k->load, top), rd->size);
	if (!k->initrd_at)
		return plan__fail(p, rd, "too large: %zu bytes of initrd do not fit below %#llx (initrd_addr_max, the end of RAM or 4 GiB) beside the kernel at %#llx-%#llx",
				  rd->size, (unsigned long long)top,
				  (unsigned long long)k->load,
				  (unsigned long long)(k->end - 1));
	return plan__add(p, rd, k->initrd_at, rd->data, rd->size, rd->size,
			 "the initrd");
}

static unsigned int e820_add(uint8_t *bp, unsigned int n, uint64_t addr,
			     uint64_t size, uint32_t type)
{
	uint8_t *e = bp + BP_E820_TABLE + n * E820_ENTRY_SIZE;

	if (!size || n >= E820_MAX)
		return n;
	put_le64(e, addr);
	put_le64(e + 8, size);
	put_le32(e + 16, type);
	return n + 1;
}

/*
 * The map of @layout, where every region is RAM (a Linux guest has no
 * firmware region), with a PC's legacy hole in the first MiB: the EBDA,
 * the VGA window and the BIOS area from 0x9fc00 are reserved. Addresses
 * no region covers (from the end of RAM up) are left out: gaps.
 */
static void fill_e820(uint8_t *bp, const struct gmem *layout)
{
	const struct gmem_region *r;
	unsigned int i, n = 0;

	for (i = 0; i < layout->nr; i++) {
		r = &layout->r[i];
		if (r->gpa) {
			n = e820_add(bp, n, r->gpa, r->size, E820_RAM);
			continue;
		}
		n = e820_add(bp, n, 0, min_u64(r->size, LOW_RAM_END), E820_RAM);
		n = e820_add(bp, n, LOW_RAM_END, 1 * MiB - LOW_RAM_END, E820_RESERVED);
		if (r->size > 1 * MiB)
			n = e820_add(bp, n, 1 * MiB, r->size - 1 * MiB, E820_RAM);
	}
	bp[BP_E820_ENTRIES] = n;
}

/*
 * The zero page: cleared, the setup header copied from the image (only
 * the header, so that the sentinel at 0x1ef stays 0), then the fields a
 * boot loader writes. Then the boot GDT and the command line after it.
 */
static void fill_boot_data(struct load_plan *p, const struct image *img,
			   const struct bz *k, const struct load_opts *o,
			   const char *cmdline, const struct gmem *layout)
{
	uint8_t *bp = p->info, *gdt = p->info + (LINUX_GDT_GPA - LINUX_ZERO_PAGE_GPA);

	memset(p->info, 0, LINUX_CMDLINE_GPA - LINUX_ZERO_PAGE_GPA);
	memcpy(bp + HDR_START, img->data + HDR_START, k->hdr_end - HDR_START);
	bp[HDR_TYPE_OF_LOADER] = LOADER_UNDEFINED;
	bp[HDR_LOADFLAGS] |= CAN_USE_HEAP;
	put_le16(bp + HDR_HEAP_END_PTR, HEAP_END);
	put_le16(bp + HDR_VID_MODE, VID_MODE_NORMAL);
	put_le32(bp + HDR_CODE32_START, k->load);
	put_le32(bp + HDR_RAMDISK_IMAGE, k->initrd_at);
	put_le32(bp + HDR_RAMDISK_SIZE, o->initrd ? o->initrd->size : 0);
	put_le32(bp + HDR_CMD_LINE_PTR, LINUX_CMDLINE_GPA);
	put_le32(bp + HDR_HARDWARE_SUBARCH, SUBARCH_PC);
	put_le64(bp + HDR_SETUP_DATA, 0);
	fill_e820(bp, layout);

	put_le64(gdt + LINUX_BOOT_CS, k->entry64 ? DESC_CODE64 : DESC_CODE32);
	put_le64(gdt + LINUX_BOOT_DS, DESC_DATA);
	strcpy((char *)p->info + (LINUX_CMDLINE_GPA - LINUX_ZERO_PAGE_GPA), cmdline);
}

/* For boot.format: "Linux bzImage 6.1.0-27-amd64 (boot protocol 2.15, 64-bit entry)". */
static void describe(struct load_plan *p, const struct image *img,
		     const struct bz *k)
{
	const uint8_t *d = img->data;
	size_t at = get_le16(d + HDR_KERNEL_VERSION) + 0x200ull, n = 0;

	/* The version string's first word, if it lies in the setup sectors. */
	if (at > 0x200)
		while (at + n < k->setup_size && n < 64 && d[at + n] > ' ' &&
		       d[at + n] < 0x7f)
			n++;
	snprintf(p->desc, sizeof(p->desc), "Linux bzImage%s%.*s (boot protocol %u.%02u, %s entry)",
		 n ? " " : "", (int)n, (const char *)d + at, k->version >> 8,
		 k->version & 0xff, k->entry64 ? "64-bit" : "32-bit");
}

/* --mode and friends against what the kernel offers. */
static int choose_entry(struct load_plan *p, const struct image *img,
			const struct load_opts *o, struct bz *k)
{
	bool has64 = get_le16(img->data + HDR_XLOADFLAGS) & XLF_KERNEL_64;

	if (o->load_set || o->entry_set)
		return plan__fail(p, img, "a Linux kernel goes and starts where its header says; --load-address and --entry do not apply");
	if (o->mode == MODE_REAL)
		return plan__fail(p, img, "vmrun starts Linux at its 32- or 64-bit entry point, not in real mode");
	if (o->mode == MODE_LONG && !has64)
		return plan__fail(p, img, "unsupported: --mode long, but this kernel has no 64-bit entry point (xloadflags bit 0 clear)");
	k->entry64 = has64 && o->mode != MODE_PROT;
	return 0;
}

int load__linux(struct load_plan *p, const struct image *img,
		const struct load_opts *o, const struct gmem *layout)
{
	const char *cmdline = o->cmdline ? o->cmdline : "";
	size_t len = strlen(cmdline), size;
	struct bz k = { 0 };
	uint32_t max;

	if (read_header(p, img, &k) || choose_entry(p, img, o, &k))
		return -1;
	max = get_le32(img->data + HDR_CMDLINE_SIZE);
	if (len > max)
		return plan__fail(p, img, "too long: the command line has %zu bytes; this kernel takes at most %u (cmdline_size)",
				  len, max);
	if (len >= LINUX_CMDLINE_MAX)
		return plan__fail(p, img, "too long: the command line has %zu bytes; vmrun keeps %llu for it",
				  len, LINUX_CMDLINE_MAX - 1);
	if (loader__reserve_tables(p) || place_kernel(p, img, &k) ||
	    place_initrd(p, img, o, &k, layout))
		return -1;
	fill_boot_data(p, img, &k, o, cmdline, layout);
	size = LINUX_CMDLINE_GPA - LINUX_ZERO_PAGE_GPA + len + 1;
	if (plan__add(p, NULL, LINUX_ZERO_PAGE_GPA, p->info, size, size,
		      "the zero page, boot GDT and command line"))
		return -1;
	describe(p, img, &k);
	p->boot = (struct boot){
		.mode = k.entry64 ? MODE_LONG : MODE_PROT,
		.format = p->desc,
		.entry = k.load + (k.entry64 ? ENTRY_64_OFFSET : 0),
		.rsp = VMRUN_STACK_TOP,
		.linux_boot = true,
		.rsi = LINUX_ZERO_PAGE_GPA,
		.gdt = LINUX_GDT_GPA,
		.gdt_limit = GDT_LIMIT,
		.cs_sel = LINUX_BOOT_CS,
		.ds_sel = LINUX_BOOT_DS,
	};
	return 0;
}

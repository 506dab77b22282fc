/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmrun's guest loaders.
 *
 * Loading is two steps, so that an image is never loaded partially:
 *
 *   1. A loader parses the image and fills a struct load_plan: the pieces
 *      to copy (segments), where they go, and how the vCPU starts. Then
 *      plan__check() tests the whole plan against the memory layout (every
 *      segment inside one RAM region, no two overlapping, none on top of
 *      the areas vmrun keeps for itself). Any problem is one line in
 *      plan->err naming the file and what is wrong with it.
 *   2. Only a plan that passed is committed to guest memory.
 *
 * Nothing here needs /dev/tinyvmx: guest memory is a struct gmem, a list
 * of regions with host addresses, which vmrun fills from its VM and the
 * unit tests (tests/) from plain buffers.
 */
#ifndef VMRUN_LOADER_H
#define VMRUN_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KiB		(1ull << 10)
#define MiB		(1ull << 20)
#define GiB		(1ull << 30)

/* ---- Little-endian fields of images and boot structures ----------------- */

static inline uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static inline uint32_t get_le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t get_le64(const uint8_t *p)
{
	return get_le32(p) | (uint64_t)get_le32(p + 4) << 32;
}

static inline void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static inline void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

static inline void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, v);
	put_le32(p + 4, v >> 32);
}

/* ---- Guest memory -------------------------------------------------------- */

#define GMEM_MAX	4

struct gmem_region {
	uint64_t gpa, size;
	uint8_t *hva;		/* NULL while only the layout is known */
	const char *name;
};

struct gmem {
	struct gmem_region r[GMEM_MAX];
	unsigned int nr;
};

/* Add a region; -1 when the map is full. */
int gmem__add(struct gmem *gm, uint64_t gpa, uint64_t size, uint8_t *hva,
	      const char *name);
/* The region holding all of [@gpa, @gpa + @len), or NULL. */
const struct gmem_region *gmem__find(const struct gmem *gm, uint64_t gpa,
				     uint64_t len);
/* The host address of [@gpa, @gpa + @len), or NULL (outside, or no hva). */
uint8_t *gmem__hva(const struct gmem *gm, uint64_t gpa, uint64_t len);

/* ---- Where vmrun puts things ------------------------------------------- */

/*
 * Guest RAM starts at 0. In protected and long mode vmrun writes its GDT,
 * TSS and page tables at VMRUN_TABLES_GPA (libtinyvmx's tvm_vcpu_set_*_mode)
 * and the multiboot information at VMRUN_MBI_GPA; images may not overlap
 * either. The stack pointer starts at VMRUN_STACK_TOP (protected and long
 * mode) or VMRUN_REAL_SP (real mode); guests are expected to set their own.
 */
#define VMRUN_TABLES_GPA	0x1000ull
#define VMRUN_TABLES_END	0x8000ull
#define VMRUN_MBI_GPA		0x8000ull
#define VMRUN_MBI_SIZE		0x8000ull
#define VMRUN_STACK_TOP		0x9f000ull
#define LOW_RAM_END		0x9fc00ull	/* where a PC's EBDA starts */
#define VMRUN_REAL_SP		0x7c00ull

/*
 * A Linux kernel's boot data takes the multiboot information's place: the
 * zero page (struct boot_params), a GDT with the boot protocol's selectors
 * and the command line, all below 1 MiB, which Linux keeps for itself.
 */
#define LINUX_ZERO_PAGE_GPA	VMRUN_MBI_GPA			/* 4 KiB */
#define LINUX_GDT_GPA		(VMRUN_MBI_GPA + 0x1000)	/* 32 bytes */
#define LINUX_CMDLINE_GPA	(VMRUN_MBI_GPA + 0x1100)
#define LINUX_CMDLINE_MAX	(VMRUN_MBI_SIZE - 0x1100)	/* with its NUL */
#define LINUX_BOOT_CS		0x10	/* boot.rst's __BOOT_CS */
#define LINUX_BOOT_DS		0x18	/* and __BOOT_DS */

#define VMRUN_MEM_MIN		(1 * MiB)
#define VMRUN_MEM_MAX		(3 * GiB)	/* below the firmware and the hole */
#define VMRUN_FLAT_REAL_ADDR	0x7c00ull	/* a boot sector's address */
#define VMRUN_FLAT_PROT_ADDR	(1 * MiB)

/* Firmware: its last bytes end at 4 GiB, a copy of its top below 1 MiB. */
#define FW_TOP			(4 * GiB)
#define FW_MAX_SIZE		(16 * MiB)
#define FW_LOW_MAX		(128 * KiB)
#define FW_LOW_TOP		(1 * MiB)

/* The firmware region for an image of @size bytes: 4 KiB aligned. */
void firmware__region(uint64_t size, uint64_t *gpa, uint64_t *len);

/* ---- Images -------------------------------------------------------------- */

/* A whole file in memory. */
struct image {
	const char *name;
	const uint8_t *data;
	size_t size;
	void *owned;		/* freed by image__free() */
};

/* Largest file vmrun reads: guest RAM cannot hold more anyway. */
#define IMAGE_MAX_SIZE		VMRUN_MEM_MAX

/* Read @path; on failure a one-line message is in @err. */
int image__read(struct image *img, const char *path, char *err, size_t errlen);
void image__free(struct image *img);
/* An image over a caller's buffer (unit tests). */
struct image image__from(const char *name, const void *data, size_t size);

/* ---- Options that affect loading ----------------------------------------- */

enum load_format { FMT_AUTO, FMT_FLAT, FMT_ELF, FMT_MULTIBOOT, FMT_LINUX };
enum boot_mode { MODE_AUTO, MODE_REAL, MODE_PROT, MODE_LONG, MODE_RESET };

#define LOAD_MAX_MODULES	16

struct load_module {
	struct image img;
	const char *args;	/* NULL or the text after FILE, */
};

struct load_opts {
	uint64_t mem_size;
	enum load_format format;
	enum boot_mode mode;		/* MODE_AUTO: the format decides */
	bool load_set, entry_set, entry_segmented;
	uint64_t load_addr;		/* flat images */
	uint64_t entry;			/* linear, or CS:IP when segmented */
	uint16_t entry_cs, entry_ip;
	const char *cmdline;		/* multiboot, Linux */
	const struct image *initrd;	/* Linux; NULL: none */
	struct load_module modules[LOAD_MAX_MODULES];
	unsigned int nr_modules;
	const struct image *firmware;	/* NULL: no firmware */
};

/* Defaults: 128 MiB, format and mode detected. */
void load_opts__init(struct load_opts *o);

/* ---- The plan ------------------------------------------------------------ */

#define PLAN_MAX_SEGS		64
#define PLAN_MAX_RESV		4

struct load_seg {
	uint64_t gpa;
	uint64_t filesz, memsz;		/* memsz - filesz bytes are zeroed */
	const uint8_t *src;
	char what[96];			/* "segment 1 (k.elf)", for messages */
};

struct load_resv {
	uint64_t gpa, size;
	const char *what;
};

/* How the vCPU starts. */
struct boot {
	enum boot_mode mode;		/* REAL, PROT, LONG or RESET */
	const char *format;		/* "flat binary", "ELF64", ... */
	uint16_t cs, ip;		/* MODE_REAL */
	uint64_t entry;			/* MODE_PROT, MODE_LONG */
	uint64_t rsp;
	bool multiboot;			/* EAX, EBX as below */
	uint32_t eax, ebx;
	/*
	 * Linux: the loader's GDT at @gdt (@gdt_limit) holds vmrun's flat
	 * code and data descriptors at @cs_sel and @ds_sel, which CS and the
	 * data segments start with; RSI = @rsi, the other GPRs are 0.
	 */
	bool linux_boot;
	uint64_t gdt, rsi;
	uint16_t gdt_limit, cs_sel, ds_sel;
};

struct load_plan {
	struct load_seg seg[PLAN_MAX_SEGS];
	unsigned int nr_seg;
	struct load_resv resv[PLAN_MAX_RESV];
	unsigned int nr_resv;
	struct boot boot;
	uint64_t kernel_end;		/* end of the highest segment so far */
	char err[320];
	char desc[160];			/* a longer boot.format, if needed */
	uint8_t info[VMRUN_MBI_SIZE];	/* multiboot information, Linux's boot data */
};

void plan__init(struct load_plan *p);
/* Record a one-line error "@img: ..." in @p->err; returns -1. */
__attribute__((format(printf, 3, 4)))
int plan__fail(struct load_plan *p, const struct image *img, const char *fmt, ...);
/* Add a segment; -1 (with the message) when the plan is full. */
int plan__add(struct load_plan *p, const struct image *img, uint64_t gpa,
	      const uint8_t *src, uint64_t filesz, uint64_t memsz,
	      const char *what);
int plan__reserve(struct load_plan *p, uint64_t gpa, uint64_t size,
		  const char *what);
/* Every segment inside one region of @gm, no overlaps. 0 or -1. */
int plan__check(struct load_plan *p, const struct gmem *gm);
/* Copy the segments to @gm, which must have host addresses. 0 or -1. */
int plan__commit(struct load_plan *p, const struct gmem *gm);

/* ---- Loaders (each returns 0 or -1 with plan->err set) ------------------- */

/*
 * Detect the format of @img (unless @o->format says) and plan it for the
 * memory in @layout (without host addresses).
 */
int load__image(struct load_plan *p, const struct image *img,
		const struct load_opts *o, const struct gmem *layout);
/* With @o->firmware and perhaps a flat @img (may be NULL). */
int load__firmware(struct load_plan *p, const struct image *fw,
		   const struct load_opts *o);
int load__flat(struct load_plan *p, const struct image *img,
	       const struct load_opts *o);
int load__elf(struct load_plan *p, const struct image *img,
	      const struct load_opts *o);
int load__multiboot(struct load_plan *p, const struct image *img,
		    const struct load_opts *o);
int load__linux(struct load_plan *p, const struct image *img,
		const struct load_opts *o, const struct gmem *layout);

/* The whole job: plan the firmware and/or image, then check the plan. */
int load__plan(struct load_plan *p, const struct image *img,
	       const struct load_opts *o, const struct gmem *layout);

/* Keep vmrun's tables free (protected and long mode). */
int loader__reserve_tables(struct load_plan *p);

/* ELF helpers shared by the ELF and multiboot loaders (loader_elf.c). */
bool elf__is_elf(const struct image *img);
/*
 * Plan the PT_LOAD segments of @img at their physical addresses and find
 * the physical entry point. *@is64 tells the class.
 */
int elf__plan_segments(struct load_plan *p, const struct image *img,
		       uint64_t *entry, bool *is64);

/* Multiboot (loader_multiboot.c). */
#define MB_HEADER_MAGIC		0x1badb002u
#define MB_BOOT_MAGIC		0x2badb002u
#define MB_SEARCH		8192
/* Offset of a valid multiboot header in @img, or -1. */
long mb__find_header(const struct image *img);

/* Linux (loader_linux.c): 0xAA55 at 0x1fe and "HdrS" at 0x202. */
bool linux__is_bzimage(const struct image *img);

#endif /* VMRUN_LOADER_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: raw images. A flat binary is copied to one guest-physical
 * address and started there; a firmware image is mapped so that it ends
 * at 4 GiB, as a PC's flash is, and started at the reset vector.
 */
#include "loader.h"

/* The vCPU's state for protected and long mode lives in low RAM. */
int loader__reserve_tables(struct load_plan *p)
{
	return plan__reserve(p, VMRUN_TABLES_GPA,
			     VMRUN_TABLES_END - VMRUN_TABLES_GPA,
			     "vmrun's descriptor and page tables");
}

/*
 * Real mode reaches the first MiB (plus the 64 KiB the A20 wrap would
 * give, which we leave out). A linear entry point becomes the CS:IP a far
 * jump would use: CS = 0 while IP can hold the address, else CS holds the
 * 64 KiB-aligned part.
 */
static int real_entry(struct load_plan *p, const struct image *img,
		      const struct load_opts *o, uint64_t addr)
{
	uint64_t e = o->entry_set ? o->entry : addr;

	if (o->entry_segmented) {
		p->boot.cs = o->entry_cs;
		p->boot.ip = o->entry_ip;
		return 0;
	}
	if (e >= 1 * MiB)
		return plan__fail(p, img, "entry point %#llx: real mode reaches only the first MiB; use --mode protected or --entry SEG:OFF",
				  (unsigned long long)e);
	p->boot.cs = (e >> 16) << 12;
	p->boot.ip = e & 0xffff;
	return 0;
}

int load__flat(struct load_plan *p, const struct image *img,
	       const struct load_opts *o)
{
	enum boot_mode mode = o->mode == MODE_AUTO ? MODE_REAL : o->mode;
	uint64_t addr;

	if (!img->size)
		return plan__fail(p, img, "empty: the file has no bytes to run");
	if (mode == MODE_REAL)
		addr = o->load_set ? o->load_addr : VMRUN_FLAT_REAL_ADDR;
	else
		addr = o->load_set ? o->load_addr : VMRUN_FLAT_PROT_ADDR;
	if (mode == MODE_PROT || mode == MODE_LONG) {
		if (loader__reserve_tables(p))
			return -1;
	}
	if (plan__add(p, img, addr, img->data, img->size, img->size, "the flat image"))
		return -1;
	p->boot.mode = mode;
	p->boot.format = "flat binary";
	if (mode == MODE_REAL) {
		p->boot.rsp = VMRUN_REAL_SP;
		return real_entry(p, img, o, addr);
	}
	if (o->entry_segmented)
		return plan__fail(p, img, "--entry SEG:OFF is for real mode only");
	p->boot.entry = o->entry_set ? o->entry : addr;
	p->boot.rsp = VMRUN_STACK_TOP;
	if (mode == MODE_PROT && p->boot.entry >= 4 * GiB)
		return plan__fail(p, img, "entry point %#llx: beyond the 4 GiB protected mode reaches",
				  (unsigned long long)p->boot.entry);
	return 0;
}

int load__firmware(struct load_plan *p, const struct image *fw,
		   const struct load_opts *o)
{
	uint64_t low;

	if (o->mode != MODE_AUTO || o->entry_set)
		return plan__fail(p, fw, "firmware starts at the reset vector; --mode and --entry do not apply");
	if (!fw->size)
		return plan__fail(p, fw, "empty: the firmware file has no bytes");
	if (fw->size > FW_MAX_SIZE)
		return plan__fail(p, fw, "too large: %zu bytes of firmware; at most %llu MiB fit below 4 GiB",
				  fw->size, FW_MAX_SIZE / MiB);
	if (plan__add(p, fw, FW_TOP - fw->size, fw->data, fw->size, fw->size,
		      "the firmware below 4 GiB"))
		return -1;
	/* Its top 128 KiB also appear below 1 MiB, where real mode runs it. */
	low = fw->size < FW_LOW_MAX ? fw->size : FW_LOW_MAX;
	if (plan__add(p, fw, FW_LOW_TOP - low, fw->data + fw->size - low, low, low,
		      "the firmware's copy below 1 MiB"))
		return -1;
	p->boot.mode = MODE_RESET;
	p->boot.format = "firmware";
	return 0;
}

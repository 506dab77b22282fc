// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: the PC board: each device of hw/ registered, its IRQ line wired
 * into the PIC, the RTC told the size of guest RAM (the regions named
 * "RAM" in vr->gmem, split at 4 GiB).
 */
#include <string.h>

#include "pc.h"
#include "../vmrun.h"

#define FOUR_GiB	(4 * GiB)

static void ram_sizes(const struct gmem *gm, uint64_t *below, uint64_t *above)
{
	const struct gmem_region *r;
	uint64_t end, split;
	unsigned int i;

	*below = *above = 0;
	for (i = 0; i < gm->nr; i++) {
		r = &gm->r[i];
		if (strcmp(r->name, "RAM"))
			continue;
		end = r->gpa + r->size;
		split = end < FOUR_GiB ? end : FOUR_GiB;
		if (r->gpa < split)
			*below += split - r->gpa;
		if (end > FOUR_GiB)
			*above += end - (r->gpa > FOUR_GiB ? r->gpa : FOUR_GiB);
	}
}

int pc__init(struct vmrun *vr, struct pc *pc)
{
	struct pic *pic = &pc->pic;
	uint64_t below, above;

	ram_sizes(&vr->gmem, &below, &above);
	vr->pc = pc;
	if (pic__init(vr, pic) ||
	    pit__init(vr, &pc->pit, pic__line(pic, IRQ_PIT)) ||
	    rtc__init(vr, &pc->rtc, below, above) ||
	    i8042__init(vr, &pc->kbd, pic__line(pic, IRQ_KBD),
			pic__line(pic, IRQ_AUX)) ||
	    pci__init(vr, &pc->pci) || post__init(vr))
		return -1;
	return 0;
}

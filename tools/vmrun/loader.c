// SPDX-License-Identifier: GPL-2.0
/*
 * vmrun: guest memory as the loaders see it, image files, and load plans
 * (see loader.h for why loading is planned before anything is copied).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"

/* ---- Guest memory -------------------------------------------------------- */

int gmem__add(struct gmem *gm, uint64_t gpa, uint64_t size, uint8_t *hva,
	      const char *name)
{
	if (gm->nr >= GMEM_MAX)
		return -1;
	gm->r[gm->nr++] = (struct gmem_region){ gpa, size, hva, name };
	return 0;
}

/* Does [@gpa, @gpa + @len) lie inside [@base, @base + @size)? No overflow. */
static bool inside(uint64_t gpa, uint64_t len, uint64_t base, uint64_t size)
{
	return gpa >= base && gpa - base <= size && len <= size - (gpa - base);
}

const struct gmem_region *gmem__find(const struct gmem *gm, uint64_t gpa,
				     uint64_t len)
{
	unsigned int i;

	for (i = 0; i < gm->nr; i++)
		if (inside(gpa, len, gm->r[i].gpa, gm->r[i].size))
			return &gm->r[i];
	return NULL;
}

uint8_t *gmem__hva(const struct gmem *gm, uint64_t gpa, uint64_t len)
{
	const struct gmem_region *r = gmem__find(gm, gpa, len);

	return r && r->hva ? r->hva + (gpa - r->gpa) : NULL;
}

void firmware__region(uint64_t size, uint64_t *gpa, uint64_t *len)
{
	*len = (size + 4095) & ~4095ull;
	*gpa = FW_TOP - *len;
}

/* ---- Images -------------------------------------------------------------- */

int image__read(struct image *img, const char *path, char *err, size_t errlen)
{
	struct stat st;
	uint8_t *buf = NULL;
	size_t done = 0;
	ssize_t n;
	int fd;

	memset(img, 0, sizeof(*img));
	img->name = path;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if ((uint64_t)st.st_size > IMAGE_MAX_SIZE) {
		snprintf(err, errlen, "%s: too large: %lld bytes, more than guest memory can hold",
			 path, (long long)st.st_size);
		goto fail;
	}
	buf = malloc(st.st_size ? st.st_size : 1);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory reading %lld bytes",
			 path, (long long)st.st_size);
		goto fail;
	}
	while (done < (size_t)st.st_size) {
		n = read(fd, buf + done, st.st_size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "%s: read failed: %s", path,
				 n ? strerror(errno) : "file shrank while reading");
			goto fail;
		}
		done += n;
	}
	close(fd);
	img->data = buf;
	img->size = done;
	img->owned = buf;
	return 0;
fail:
	free(buf);
	if (fd >= 0)
		close(fd);
	return -1;
}

void image__free(struct image *img)
{
	free(img->owned);
	img->owned = NULL;
	img->data = NULL;
	img->size = 0;
}

struct image image__from(const char *name, const void *data, size_t size)
{
	return (struct image){ .name = name, .data = data, .size = size };
}

void load_opts__init(struct load_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->mem_size = 128 * MiB;
	o->format = FMT_AUTO;
	o->mode = MODE_AUTO;
}

/* ---- The plan ------------------------------------------------------------ */

void plan__init(struct load_plan *p)
{
	p->nr_seg = 0;
	p->nr_resv = 0;
	p->kernel_end = 0;
	p->err[0] = '\0';
	memset(&p->boot, 0, sizeof(p->boot));
}

int plan__fail(struct load_plan *p, const struct image *img, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (img)
		n = snprintf(p->err, sizeof(p->err), "%s: ", img->name);
	if (n < 0 || (size_t)n >= sizeof(p->err))
		n = 0;
	va_start(ap, fmt);
	vsnprintf(p->err + n, sizeof(p->err) - n, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash && slash[1] ? slash + 1 : path;
}

int plan__add(struct load_plan *p, const struct image *img, uint64_t gpa,
	      const uint8_t *src, uint64_t filesz, uint64_t memsz,
	      const char *what)
{
	struct load_seg *s;

	if (p->nr_seg >= PLAN_MAX_SEGS)
		return plan__fail(p, img, "malformed: more than %d pieces to load",
				  PLAN_MAX_SEGS);
	if (memsz < filesz || gpa + memsz < gpa)
		return plan__fail(p, img, "malformed: %s wraps around the address space",
				  what);
	s = &p->seg[p->nr_seg++];
	s->gpa = gpa;
	s->src = src;
	s->filesz = filesz;
	s->memsz = memsz;
	if (img)
		snprintf(s->what, sizeof(s->what), "%s (%s)", what,
			 base_name(img->name));
	else
		snprintf(s->what, sizeof(s->what), "%s", what);
	if (gpa + memsz > p->kernel_end)
		p->kernel_end = gpa + memsz;
	return 0;
}

int plan__reserve(struct load_plan *p, uint64_t gpa, uint64_t size,
		  const char *what)
{
	if (p->nr_resv >= PLAN_MAX_RESV)
		return plan__fail(p, NULL, "internal: too many reserved areas");
	p->resv[p->nr_resv++] = (struct load_resv){ gpa, size, what };
	return 0;
}

static bool overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
	return alen && blen && a < b + blen && b < a + alen;
}

static uint64_t ram_size(const struct gmem *gm)
{
	return gm->nr ? gm->r[0].size : 0;
}

int plan__check(struct load_plan *p, const struct gmem *gm)
{
	const struct load_seg *s, *t;
	const struct load_resv *r;
	unsigned int i, j;

	for (i = 0; i < p->nr_seg; i++) {
		s = &p->seg[i];
		if (!s->memsz)
			continue;
		if (!gmem__find(gm, s->gpa, s->memsz))
			return plan__fail(p, NULL, "too large for guest memory: %s at %#llx-%#llx does not fit in the %llu MiB of guest RAM",
					  s->what, (unsigned long long)s->gpa,
					  (unsigned long long)(s->gpa + s->memsz - 1),
					  (unsigned long long)(ram_size(gm) / MiB));
		for (j = 0; j < p->nr_resv; j++) {
			r = &p->resv[j];
			if (overlap(s->gpa, s->memsz, r->gpa, r->size))
				return plan__fail(p, NULL, "overlapping: %s at %#llx-%#llx overlaps %s at %#llx-%#llx",
						  s->what, (unsigned long long)s->gpa,
						  (unsigned long long)(s->gpa + s->memsz - 1),
						  r->what, (unsigned long long)r->gpa,
						  (unsigned long long)(r->gpa + r->size - 1));
		}
		for (j = 0; j < i; j++) {
			t = &p->seg[j];
			if (overlap(s->gpa, s->memsz, t->gpa, t->memsz))
				return plan__fail(p, NULL, "overlapping: %s at %#llx-%#llx overlaps %s at %#llx-%#llx",
						  s->what, (unsigned long long)s->gpa,
						  (unsigned long long)(s->gpa + s->memsz - 1),
						  t->what, (unsigned long long)t->gpa,
						  (unsigned long long)(t->gpa + t->memsz - 1));
		}
	}
	return 0;
}

int plan__commit(struct load_plan *p, const struct gmem *gm)
{
	const struct load_seg *s;
	unsigned int i;
	uint8_t *dst;

	/* Check every destination before the first copy. */
	for (i = 0; i < p->nr_seg; i++) {
		s = &p->seg[i];
		if (s->memsz && !gmem__hva(gm, s->gpa, s->memsz))
			return plan__fail(p, NULL, "internal: %s at %#llx is not mapped",
					  s->what, (unsigned long long)s->gpa);
	}
	for (i = 0; i < p->nr_seg; i++) {
		s = &p->seg[i];
		if (!s->memsz)
			continue;
		dst = gmem__hva(gm, s->gpa, s->memsz);
		memcpy(dst, s->src, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}

/* ---- Choosing a loader ---------------------------------------------------- */

int load__image(struct load_plan *p, const struct image *img,
		const struct load_opts *o, const struct gmem *layout)
{
	switch (o->format) {
	case FMT_FLAT:
		return load__flat(p, img, o);
	case FMT_ELF:
		return load__elf(p, img, o);
	case FMT_MULTIBOOT:
		return load__multiboot(p, img, o);
	case FMT_LINUX:
		return load__linux(p, img, o, layout);
	case FMT_AUTO:
		break;
	}
	/*
	 * A bzImage's magic numbers sit at fixed offsets, so test them first;
	 * as boot loaders do, a multiboot header wins over the ELF header.
	 */
	if (linux__is_bzimage(img))
		return load__linux(p, img, o, layout);
	if (mb__find_header(img) >= 0)
		return load__multiboot(p, img, o);
	if (elf__is_elf(img))
		return load__elf(p, img, o);
	return load__flat(p, img, o);
}

/*
 * With --firmware, an IMAGE is a flat binary put in RAM for the firmware
 * to find (a boot sector at 0x7c00, say); the firmware decides how to
 * start, so the vCPU still starts at the reset vector.
 */
static int firmware_payload(struct load_plan *p, const struct image *img,
			    const struct load_opts *o)
{
	struct boot b = p->boot;
	int r;

	if (o->format == FMT_ELF || o->format == FMT_MULTIBOOT ||
	    o->format == FMT_LINUX ||
	    (o->format == FMT_AUTO && (elf__is_elf(img) || linux__is_bzimage(img) ||
				       mb__find_header(img) >= 0)))
		return plan__fail(p, img, "with --firmware, the image must be a flat binary (the firmware starts it)");
	r = load__flat(p, img, o);
	p->boot = b;
	return r;
}

/* Is @img, with @o, taken as a Linux kernel? */
static bool is_linux(const struct image *img, const struct load_opts *o)
{
	return o->format == FMT_LINUX ||
	       (o->format == FMT_AUTO && img && linux__is_bzimage(img));
}

int load__plan(struct load_plan *p, const struct image *img,
	       const struct load_opts *o, const struct gmem *layout)
{
	int r;

	plan__init(p);
	if (o->nr_modules && o->format != FMT_MULTIBOOT &&
	    (o->format != FMT_AUTO || !img || mb__find_header(img) < 0))
		return plan__fail(p, img, "--module needs a multiboot kernel, and this is not one");
	if (o->initrd && (o->firmware || !is_linux(img, o)))
		return plan__fail(p, img, "--initrd needs a Linux kernel (bzImage), and this is not one");
	if (o->firmware) {
		r = load__firmware(p, o->firmware, o);
		if (!r && img)
			r = firmware_payload(p, img, o);
	} else if (img)
		r = load__image(p, img, o, layout);
	else
		r = plan__fail(p, NULL, "no image to run");
	return r ? r : plan__check(p, layout);
}

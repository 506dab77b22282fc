/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host-side unit tests of vmrun's loaders: a TAP line per check, and
 * at the end "unit: N passed, N failed" (which scripts/check reads).
 * Nothing here needs /dev/tinyvmx: guest memory is plain buffers.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "loader.h"

/* Guest RAM for the tests: small, so that "too large" is easy to reach. */
#define TEST_MEM	(4 * MiB)

/* One TAP line: "ok N - name" or "not ok N - name", with a reason. */
__attribute__((format(printf, 2, 3)))
bool check(bool cond, const char *fmt, ...);
/* Say why the last check failed ("# ..."). */
__attribute__((format(printf, 1, 2)))
void note(const char *fmt, ...);
void skip(const char *name, const char *why);

/* The loader state shared by the tests, reset by env__reset(). */
struct env {
	struct load_opts o;
	struct load_plan p;
	uint8_t *ram;		/* TEST_MEM bytes at guest-physical 0 */
	uint8_t *fw;		/* FW_MAX_SIZE bytes ending at 4 GiB */
};

extern struct env env;

#define SENTINEL	0xa5

/* Fresh options (TEST_MEM of RAM) and RAM full of SENTINEL. */
void env__reset(void);
/* load__plan(), then plan__commit() when the plan passed. 0 or -1. */
int env__load(const struct image *img);
/* The guest memory at @gpa (RAM or firmware). */
uint8_t *env__gpa(uint64_t gpa);
/* RAM is all SENTINEL: nothing was loaded. */
bool env__untouched(void);

/*
 * A refusal: loading @img (NULL: only the firmware) must fail with a
 * one-line message that names @file and contains @what (for example
 * "truncated"), and leave guest memory untouched.
 */
void expect_refused(const char *name, const struct image *img,
		    const char *file, const char *what);

/* Every byte of [@gpa, +@len) equals @src, or is 0 when @src is NULL. */
bool mem_is(uint64_t gpa, const void *src, size_t len);

/* A crafted ELF file: segments described, data filled with a pattern. */
struct seg_spec {
	uint32_t type;
	uint64_t offset, vaddr, paddr, filesz, memsz;
};

/* Build it into @buf; returns the file's size. */
size_t mk_elf(uint8_t *buf, size_t len, bool is64, uint64_t entry,
	      const struct seg_spec *segs, unsigned int nr);
/* The pattern byte at file offset @off. */
static inline uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off * 7 + 1);
}

void flat_tests(void);
void elf_tests(void);
void multiboot_tests(void);
void linux_tests(void);
void guest_image_tests(void);
/* The PC devices (hw_test.h). */
void pic_tests(void);
void pit_tests(void);
void rtc_tests(void);
void i8042_tests(void);
void pci_tests(void);
void uart_tests(void);

#endif /* UNIT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The unit tests' harness: TAP output, and a load environment with guest
 * memory in plain buffers.
 */
#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "unit.h"

struct env env;
static unsigned int nr_tests, nr_failed;

bool check(bool cond, const char *fmt, ...)
{
	va_list ap;

	nr_tests++;
	if (!cond)
		nr_failed++;
	printf("%sok %u - ", cond ? "" : "not ", nr_tests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	return cond;
}

void note(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

void skip(const char *name, const char *why)
{
	printf("ok %u - %s # SKIP %s\n", ++nr_tests, name, why);
}

void env__reset(void)
{
	load_opts__init(&env.o);
	env.o.mem_size = TEST_MEM;
	memset(env.ram, SENTINEL, TEST_MEM);
}

static void layout(struct gmem *gm)
{
	uint64_t gpa, len;

	memset(gm, 0, sizeof(*gm));
	gmem__add(gm, 0, env.o.mem_size, env.ram, "RAM");
	if (env.o.firmware) {
		firmware__region(env.o.firmware->size, &gpa, &len);
		gmem__add(gm, gpa, len, env.fw + FW_MAX_SIZE - len, "firmware");
	}
}

int env__load(const struct image *img)
{
	struct gmem gm;

	layout(&gm);
	if (load__plan(&env.p, img, &env.o, &gm))
		return -1;
	return plan__commit(&env.p, &gm);
}

uint8_t *env__gpa(uint64_t gpa)
{
	if (gpa < TEST_MEM)
		return env.ram + gpa;
	if (gpa >= FW_TOP - FW_MAX_SIZE && gpa < FW_TOP)
		return env.fw + (gpa - (FW_TOP - FW_MAX_SIZE));
	return NULL;
}

bool env__untouched(void)
{
	size_t i;

	for (i = 0; i < TEST_MEM; i++)
		if (env.ram[i] != SENTINEL)
			return false;
	return true;
}

void expect_refused(const char *name, const struct image *img,
		    const char *file, const char *what)
{
	int r = env__load(img);
	const char *err = env.p.err;

	check(r < 0 && strstr(err, what) && !strchr(err, '\n') &&
	      strstr(err, file) && env__untouched(),
	      "%s: refused as %s", name, what);
	note("  message: %s", r < 0 ? err : "(none: it loaded)");
}

bool mem_is(uint64_t gpa, const void *src, size_t len)
{
	const uint8_t *s = src;
	uint8_t *m = env__gpa(gpa);
	size_t i;

	if (!m)
		return false;
	for (i = 0; i < len; i++)
		if (m[i] != (s ? s[i] : 0))
			return false;
	return true;
}

/* mk_elf()'s headers for ELF@bits: the file header, then @nr program headers. */
#define PUT_ELF(bits, machine)						\
	do {								\
		Elf##bits##_Ehdr h = {					\
			.e_ident = { ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3,	\
				     ELFCLASS##bits, ELFDATA2LSB, EV_CURRENT }, \
			.e_type = ET_EXEC, .e_machine = machine,	\
			.e_version = EV_CURRENT, .e_entry = entry,	\
			.e_phoff = ehsize, .e_ehsize = ehsize,		\
			.e_phentsize = phsize, .e_phnum = nr,		\
		};							\
									\
		memcpy(buf, &h, sizeof(h));				\
		for (n = 0; n < nr; n++) {				\
			Elf##bits##_Phdr p = {				\
				.p_type = segs[n].type,			\
				.p_offset = segs[n].offset,		\
				.p_vaddr = segs[n].vaddr,		\
				.p_paddr = segs[n].paddr,		\
				.p_filesz = segs[n].filesz,		\
				.p_memsz = segs[n].memsz,		\
				.p_flags = PF_R | PF_W | PF_X,		\
				.p_align = 4096,			\
			};						\
									\
			memcpy(buf + ehsize + n * phsize, &p, sizeof(p)); \
		}							\
	} while (0)

size_t mk_elf(uint8_t *buf, size_t len, bool is64, uint64_t entry,
	      const struct seg_spec *segs, unsigned int nr)
{
	size_t ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	size_t phsize = is64 ? sizeof(Elf64_Phdr) : sizeof(Elf32_Phdr);
	size_t size = ehsize + nr * phsize, i;
	unsigned int n;

	for (n = 0; n < nr; n++)
		if (segs[n].offset + segs[n].filesz > size)
			size = segs[n].offset + segs[n].filesz;
	if (size > len)
		abort();
	for (i = 0; i < size; i++)
		buf[i] = pattern(i);
	if (is64)
		PUT_ELF(64, EM_X86_64);
	else
		PUT_ELF(32, EM_386);
	return size;
}

int main(void)
{
	env.ram = malloc(TEST_MEM);
	env.fw = malloc(FW_MAX_SIZE);
	if (!env.ram || !env.fw)
		return 1;
	flat_tests();
	elf_tests();
	multiboot_tests();
	linux_tests();
	guest_image_tests();
	pic_tests();
	pit_tests();
	rtc_tests();
	i8042_tests();
	pci_tests();
	uart_tests();
	printf("1..%u\n", nr_tests);
	printf("unit: %u passed, %u failed\n", nr_tests - nr_failed, nr_failed);
	return nr_failed ? 1 : 0;
}

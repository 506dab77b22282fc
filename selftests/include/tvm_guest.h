/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A VM with one vCPU and GUEST_RAM_SIZE bytes of RAM at guest-physical 0,
 * ready to run one guest snippet (see guest/snippet.h).
 */
#ifndef TVM_GUEST_H
#define TVM_GUEST_H

#include <stddef.h>
#include <stdint.h>

#include "tvm.h"
#include "tvm_layout.h"

/* A snippet assembled into the test binary: [start, end). */
struct tvm_snippet {
	const char *name;
	const uint8_t *start, *end;
};

/*
 * Declare snippet @name and its marks in one line:
 *	TVM_SNIPPET_DECLARE(cr4_set, insn, after);
 * declares cr4_set_start, cr4_set_end, cr4_set_insn and cr4_set_after
 * (up to eight marks).
 */
#define TVM_SNIPPET_DECLARE(name, ...)					\
	extern const uint8_t name##_start[], name##_end[]		\
	__VA_OPT__(, TVM_MARKS_(name, __VA_ARGS__))

#define TVM_MARKS_(n, ...)						\
	TVM_CAT_(TVM_MARKS_, TVM_NARGS_(__VA_ARGS__))(n, __VA_ARGS__)
#define TVM_CAT_(a, b)		TVM_CAT2_(a, b)
#define TVM_CAT2_(a, b)		a##b
#define TVM_NARGS_(...)		TVM_NARGS2_(__VA_ARGS__, 8, 7, 6, 5, 4, 3, 2, 1)
#define TVM_NARGS2_(_1, _2, _3, _4, _5, _6, _7, _8, n, ...)	n
#define TVM_MARKS_1(n, a)	n##_##a[]
#define TVM_MARKS_2(n, a, ...)	n##_##a[], TVM_MARKS_1(n, __VA_ARGS__)
#define TVM_MARKS_3(n, a, ...)	n##_##a[], TVM_MARKS_2(n, __VA_ARGS__)
#define TVM_MARKS_4(n, a, ...)	n##_##a[], TVM_MARKS_3(n, __VA_ARGS__)
#define TVM_MARKS_5(n, a, ...)	n##_##a[], TVM_MARKS_4(n, __VA_ARGS__)
#define TVM_MARKS_6(n, a, ...)	n##_##a[], TVM_MARKS_5(n, __VA_ARGS__)
#define TVM_MARKS_7(n, a, ...)	n##_##a[], TVM_MARKS_6(n, __VA_ARGS__)
#define TVM_MARKS_8(n, a, ...)	n##_##a[], TVM_MARKS_7(n, __VA_ARGS__)
/* A struct tvm_snippet's initializer, e.g. in a FIXTURE_VARIANT_ADD(). */
#define TVM_SNIPPET_INIT(name)	{ #name, name##_start, name##_end }
#define TVM_SNIPPET(name)	((struct tvm_snippet)TVM_SNIPPET_INIT(name))
/* The guest address of MARK(name, label) once the snippet is loaded. */
#define TVM_SNIPPET_ADDR(name, label)					\
	((uint64_t)GUEST_CODE + (uint64_t)(name##_##label - name##_start))

enum tvm_guest_mode {
	TVM_MODE_REAL,		/* CS:IP = 0:GUEST_CODE */
	TVM_MODE_PROT,		/* flat 32-bit, paging off */
	TVM_MODE_LONG,		/* 64-bit, first 4 GiB identity-mapped */
};

struct tvm_guest {
	int dev_fd;
	struct tvm_vm vm;
	struct tvm_vcpu vcpu;
	uint8_t *ram;		/* host view of guest-physical 0 */
};

/* Mark every fd of @g closed, so that tvm_guest_destroy() is safe. */
void tvm_guest_init(struct tvm_guest *g);
/*
 * Create the VM, its RAM and vCPU 0, through @g->dev_fd (opened here when
 * it is -1). -errno on failure; tvm_guest_destroy() cleans up either way.
 */
int tvm_guest_create(struct tvm_guest *g);
/*
 * Copy @s to GUEST_CODE and start the vCPU there in @mode, with RSP =
 * GUEST_STACK_TOP.
 */
int tvm_guest_load(struct tvm_guest *g, const struct tvm_snippet *s,
		   enum tvm_guest_mode mode);
void tvm_guest_destroy(struct tvm_guest *g);

/* Set one general register; the others keep their values. */
int tvm_guest_set_reg(struct tvm_guest *g, size_t offset, uint64_t value);
#define TVM_REG(name)	offsetof(struct tinyvmx_regs, name)

/*
 * An IDT at GUEST_IDT whose every vector reports through port I/O, as
 * tvm_layout.h says (lib/idt.c, guest/vectors.S). Call after the mode is
 * set (tvm_guest_load()): it changes only IDTR.
 */
int tvm_guest_setup_idt(struct tvm_guest *g, enum tvm_guest_mode mode);
int tvm_setup_idt(struct tvm_vm *vm, struct tvm_vcpu *vcpu, enum tvm_guest_mode mode);
/*
 * Point IDT entry @vector at guest address @handler (in real mode a
 * linear address below 1 MiB, split as segment:offset).
 */
int tvm_set_gate(struct tvm_vm *vm, enum tvm_guest_mode mode, unsigned int vector,
		 uint64_t handler);

/*
 * When @vcpu's last exit is the report of a failed GUEST_ASSERT (see
 * guest/snippet.h), what failed: "guest assertion failed at
 * guest/cr.S:42: cmp %rax, %r9 then e is false (rax = 0x1, r9 = 0x2)".
 * NULL for any other exit. Reads the record from guest memory, as
 * lib/guest_assert.c says.
 */
const char *tvm_guest_assert_failure(struct tvm_vcpu *vcpu);

const char *tvm_mode_name(enum tvm_guest_mode mode);
/* tvm_exit_str() into a per-thread buffer, for failure messages. */
const char *tvm_exit_desc(const struct tinyvmx_run *run);

#endif /* TVM_GUEST_H */

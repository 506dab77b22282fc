/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest-physical layout every selftest guest shares. Included by the
 * guest snippets (assembly) and by C, so: plain numbers only.
 *
 *   0x00000  RAM starts; the real-mode IVT would be here
 *   0x00500  SCRATCH: zeroed bytes a guest may poll or point LIDT at
 *   0x01000  CODE: where a snippet is loaded and started
 *   0x09000  STACK_TOP: initial RSP (SS base 0 in every mode)
 *   0x10000  TABLES: GDT, TSS and page tables of the mode helpers
 *   0x18000  PT: free for a test's own 4 KiB page table
 *   0x20000  IDT: the IDT (or real-mode IVT) of tvm_guest_setup_idt()
 *   0x21000  VECTORS: its handler stubs (guest/vectors.S)
 *   0x30000  DATA: free for a test's data, up to the end of RAM
 *   0x80000  RAM ends (RAM_SIZE)
 *   0xd0000  MMIO_LOW: outside RAM, reachable from real mode (0xd000:0)
 *   0xc0000000 MMIO_HIGH: outside RAM, above 3 GiB
 */
#ifndef TVM_LAYOUT_H
#define TVM_LAYOUT_H

#define GUEST_RAM_SIZE		0x80000
#define GUEST_SCRATCH		0x500
#define GUEST_CODE		0x1000
#define GUEST_STACK_TOP		0x9000
#define GUEST_TABLES		0x10000
#define GUEST_PT		0x18000
#define GUEST_IDT		0x20000
#define GUEST_VECTORS		0x21000
#define GUEST_DATA		0x30000
#define GUEST_MMIO_LOW		0xd0000
#define GUEST_MMIO_LOW_SEG	0xd000
#define GUEST_MMIO_HIGH		0xc0000000

/*
 * The handlers of tvm_guest_setup_idt() report each event with OUTs of
 * 4 bytes: the vector, the error code (TVM_NO_ERROR when the vector pushed
 * none), the return RIP (low 32 bits) and, for #PF, CR2 (low 32 bits).
 * Then, by RBP: 0 halts for good, 1 returns (IRET) to the interrupted
 * instruction, any other value returns to that address instead.
 */
#define PORT_VECTOR		0xf0
#define PORT_ERROR		0xf1
#define PORT_RIP		0xf2
#define PORT_CR2		0xf3
#define TVM_NO_ERROR		0xffffffff
#define VECTOR_STUB_SIZE	16

/*
 * GUEST_ASSERT (guest/snippet.h): a failed guest check OUTs to this port,
 * and the bytes after the OUT say where (lib/guest_assert.c decodes them).
 * No test uses the port for anything else.
 */
#define PORT_GUEST_ASSERT	0xfa

#endif /* TVM_LAYOUT_H */

# Exercises every register of the PEX's tag-control device (TAGCTL) against a testbench that plays the tag unit
# and the AP's call port. What the program reads is kept in `results` (word n below) for the testbench to check.
#include "hwgen_soc.h"

#define RD(reg, name) li t6, HWGEN_TAGCTL_##name; lw reg, 0(t6)
#define WR(reg, name) li t6, HWGEN_TAGCTL_##name; sw reg, 0(t6)
#define KEEP(reg, n) sw reg, (4 * (n))(s0)

    .section .text.start
    .globl _start
_start:
    la s0, results
    RD(t0, AP_CONTROL); KEEP(t0, 0)         # 1: the AP is held in reset
    RD(t0, STATUS); KEEP(t0, 1)             # nothing pending yet

    # The tables.
    li t0, (0x15 << 16) | (0x123 << 4) | 5; WR(t0, OPGROUP)
    li t0, 0xA5A5; WR(t0, DEVICE_TAG)
    WR(zero, FLUSH)

    # Tag memory: write a tag, read another word's and the one written.
    li t0, 0x80000040; WR(t0, TAG_ADDR)
    li t0, 0x1BEEF; WR(t0, TAG_DATA)        # bits above the tag width are dropped
    li t0, 0x80000044; WR(t0, TAG_ADDR)
    RD(t0, TAG_DATA); KEEP(t0, 2)
    li t0, 0x80000040; WR(t0, TAG_ADDR)
    RD(t0, TAG_DATA); KEEP(t0, 3)
    # Addresses just outside the AP's tagged RAM (4 MiB at 0x80000000): the requests say so.
    li t0, 0x7FFFFFFC; WR(t0, TAG_ADDR)
    li t0, 0x1111; WR(t0, TAG_DATA)
    li t0, 0x80400000; WR(t0, TAG_ADDR)
    li t0, 0x2222; WR(t0, TAG_DATA)
    li t0, 0x803FFFFC; WR(t0, TAG_ADDR)
    li t0, 0x3333; WR(t0, TAG_DATA)

    # Release the AP.
    WR(zero, AP_CONTROL)
    RD(t0, AP_CONTROL); KEEP(t0, 4)

    # The first miss: allow, with outputs made from its inputs.
1:  RD(t0, STATUS); andi t0, t0, HWGEN_TAGCTL_STATUS_MISS; beqz t0, 1b
    RD(t0, STATUS); KEEP(t0, 5)
    RD(t0, MISS_OPGROUP); KEEP(t0, 6)
    RD(t1, MISS_PC_TAG); KEEP(t1, 7)
    RD(t2, MISS_CI_TAG); KEEP(t2, 8)
    RD(t3, MISS_RS1_TAG); KEEP(t3, 9)
    RD(t4, MISS_RS2_TAG); KEEP(t4, 10)
    RD(t5, MISS_MEM_TAG); KEEP(t5, 11)
    RD(t0, MISS_PC); KEEP(t0, 12)
    RD(t0, MISS_INSN); KEEP(t0, 13)
    RD(t0, MISS_ADDR); KEEP(t0, 14)
    li t0, 0x1234; WR(t0, TAG_ADDR)         # a write to another register is no answer
    RD(t0, STATUS); KEEP(t0, 15)            # the miss still pending
    addi t1, t1, 1                          # the PC tag + 1
    xor t3, t3, t4; slli t3, t3, 16         # the result tag: rs1's tag ^ rs2's
    or t1, t1, t3; WR(t1, ALLOW)
    RD(t0, STATUS); KEEP(t0, 16)            # answered: no longer shown

    # The second miss: deny.
2:  RD(t0, STATUS); andi t0, t0, HWGEN_TAGCTL_STATUS_MISS; beqz t0, 2b
    RD(t0, MISS_PC); KEEP(t0, 17)
    li t0, (2 << 16) | 7; WR(t0, DENY)
    RD(t0, STATUS); KEEP(t0, 18)            # answered: no longer shown (DENY is write only: not read back)

    # The statistics.
    RD(t0, LOOKUPS); KEEP(t0, 19)
    RD(t0, HITS); KEEP(t0, 20)
    RD(t0, MISSES); KEEP(t0, 21)
    RD(t0, EVICTIONS); KEEP(t0, 22)
    RD(t0, MISS_CYCLES); KEEP(t0, 23)

    # A call: the result is ARG0 + ARG1, with a tag.
3:  RD(t0, STATUS); andi t0, t0, HWGEN_TAGCTL_STATUS_CALL; beqz t0, 3b
    RD(t0, STATUS); KEEP(t0, 24)
    RD(t0, CALL_OP); KEEP(t0, 25)
    RD(t1, CALL_ARG0); KEEP(t1, 26)
    RD(t2, CALL_ARG1); KEEP(t2, 27)
    RD(t3, CALL_CALLER_TAG); KEEP(t3, 28)
    li t0, 0x5A5A; WR(t0, CALL_RESULT_TAG)
    add t1, t1, t2; WR(t1, CALL_RESULT)
    RD(t0, STATUS); KEEP(t0, 29)            # answered: no longer shown

    # A byte on the console, then done.
    li t0, HWGEN_UART_DATA; li t1, 'P'; sb t1, 0(t0)
    li t0, 1; KEEP(t0, 30)
4:  j 4b

    .data
    .balign 4
    .globl results
results: .space 4 * 31

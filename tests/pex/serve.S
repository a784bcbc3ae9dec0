# A PEX that allows every rule, its result tag the miss's memory tag, but denies an instruction tagged 9
# (DENY's word (3 << 16) | 42); it serves calls with ARG0 + ARG1 (tag 0x77), op 3 with the last denial (tag 0; kept
# in s1, as DENY is write only). It releases the AP only after a while, and keeps in `results`: 0 the misses
# served, 1 the last caller's tag, 2 the last call's op, 3 the calls served, 4 STATUS just before the release.
#include "hwgen_soc.h"

#define RD(reg, name) li t6, HWGEN_TAGCTL_##name; lw reg, 0(t6)
#define WR(reg, name) li t6, HWGEN_TAGCTL_##name; sw reg, 0(t6)

# ALLOW's result tag is its word's high half.
    .if HWGEN_TAGCTL_ALLOW_RESULT_TAG != 0xFFFF0000
    .error "ALLOW's result tag is not at bit 16"
    .endif

    .section .text.start
    .globl _start
_start:
    la s0, results
    li s1, 0                                # the last denial
    li t0, 200                              # the AP waits meanwhile
1:  addi t0, t0, -1
    bnez t0, 1b
    RD(t0, STATUS)                          # nothing of the AP's yet
    sw t0, 16(s0)
    WR(zero, AP_CONTROL)

loop:
    RD(t0, STATUS)
    andi t1, t0, HWGEN_TAGCTL_STATUS_MISS
    bnez t1, miss
    andi t1, t0, HWGEN_TAGCTL_STATUS_CALL
    bnez t1, call
    j loop

miss:
    RD(t1, MISS_CI_TAG)
    li t2, 9
    beq t1, t2, deny
    RD(t1, MISS_MEM_TAG)
    slli t1, t1, 16                         # the result tag; the PC tag 0
    WR(t1, ALLOW)
    lw t0, 0(s0)
    addi t0, t0, 1
    sw t0, 0(s0)
    j loop

deny:
    li s1, (3 << 16) | 42
    WR(s1, DENY)
    j loop

call:
    RD(t1, CALL_ARG0)
    RD(t2, CALL_ARG1)
    RD(t3, CALL_CALLER_TAG)
    RD(t4, CALL_OP)
    sw t3, 4(s0)
    sw t4, 8(s0)
    lw t0, 12(s0)
    addi t0, t0, 1
    sw t0, 12(s0)
    li t0, 3
    beq t4, t0, last
    li t0, 0x77
    WR(t0, CALL_RESULT_TAG)
    add t1, t1, t2
    WR(t1, CALL_RESULT)
    j loop
last:
    WR(zero, CALL_RESULT_TAG)
    WR(s1, CALL_RESULT)
    j loop

    .data
    .balign 4
    .globl results
results: .word 0, 0, 0, 0, -1

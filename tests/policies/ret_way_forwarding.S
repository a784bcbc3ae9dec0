/* ret, a rule cache of several ways: a jal whose rule hits in a way other than way 0 (the first rules installed,
   those of the start-up code, take the first ways), followed at once by a store of ra, whose rs2 tag is forwarded
   from the jal at the commit point. The store must see the jal's result tag (ReturnAddr), not way 0's: the saved
   copy keeps ReturnAddr and the return through it is allowed; lockstep compares every tag on the way. */
#include "policy_test.h"

POLICY_TEST_BEGIN
    addi sp, sp, -16
    li s1, 40
2:
    jal ra, 1f
    j 5f
1:
    sw ra, 0(sp)
    addi s1, s1, -1
    bnez s1, 2b
    lw ra, 0(sp)
    ret
5:
    addi sp, sp, 16
    POLICY_PASS
POLICY_TEST_END

/*
 * heap.h: the heap between the end of the program (__heap_start) and the stack's reserve (__heap_end).
 *
 * malloc, calloc, realloc and free of <stdlib.h> are this allocator. Payloads are 8-byte aligned and 8-byte
 * sized, and follow each other with nothing in between: the blocks' descriptors (start, size, in use) live in
 * a table outside the heap, sorted by address, so no allocator data ever lies inside a block. malloc takes the
 * first free block large enough (lowest address first), splitting off the rest when at least HEAP_MIN_BLOCK
 * bytes remain (and the table has room); free merges the block with the free blocks right before and after it.
 *
 * Every block handed out is coloured through the PEX call port (COLOUR: the block's words get a fresh region
 * colour and the returned pointer that colour), every freed block released (RELEASE: no pointer may reach it
 * again), so that the heap policy denies an access through a pointer into another block or into freed memory.
 * Without a PEX (or under a policy that does not colour) the call returns 0 and the pointer is the plain address.
 */
#ifndef HEAP_H
#define HEAP_H

#include <stddef.h>
#include <stdint.h>

/* Payload alignment and granule, the smallest block ever split off, and the most blocks (free and used) at once. */
#define HEAP_ALIGN      8u
#define HEAP_MIN_BLOCK  16u
#define HEAP_MAX_BLOCKS 64u

struct heap_stats
{
    size_t free_bytes;    /* bytes in free blocks */
    size_t largest_free;  /* the largest free block */
    size_t free_blocks;   /* free blocks */
    size_t used_blocks;   /* blocks handed out and not freed */
    size_t total_bytes;   /* the whole heap */
};

/* Fills stats with the heap's state now. */
void heap_stats(struct heap_stats *stats);

#endif /* HEAP_H */

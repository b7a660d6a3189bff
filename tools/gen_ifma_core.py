#!/usr/bin/env python3
"""Writes src/lib/arith/ifma_core.c: the AVX-512 IFMA Montgomery squaring
(radix 2^52, vpmadd52luq / vpmadd52huq; docs/ARITH.md §2.2) for the
4096-bit (NV = 10 vectors, S = 79 steps) and 3072-bit (NV = 8, S = 60)
primes, every step written out with fixed registers.

r = a^2 / R' mod p, R' = 2^(52 S), value < 2p, for a < 2p in 8 NV digits
< 2^52 (4p < R', so digits S and up of a are 0). Word-by-word Montgomery
(step i: T += row i of a^2, then the reduction digit q_i) with a fixed
accumulator window instead of a moving one: lane l of window vector k is
digit 8 (g + k) + l of T, for the NV + 1 vectors from vector g = i / 8;
lanes are not normalised (each < 2^61). Operands are read moved up by i
mod 8 digits, so no instruction moves the accumulator; every eight steps
the window drops its lowest vector, which here is register renaming. The
moved-up vectors of p + 1 are built once per modulus (sc_mont ps52, aligned);
those of d (below) are unaligned loads from one zero-padded copy, 8 (i mod
8 + 1) bytes below its vectors (built on entry: 12 stores instead of the 88
of eight aligned copies; a 512-bit store takes two store cycles here).
A 512-bit load that crosses a cache line costs two load slots (Zen 5: two
aligned loads per cycle, one split), so each vector of d is loaded once
per step into a register and used by both products that need it (high
and low halves); p + 1 stays a memory operand of the IFMA instructions
(loaded once too, the kernel has 800 more instructions and measured slower,
most likely the front end: docs/ARITH.md §2.6). The
merge masks of the rows' first vectors are seven fixed mask registers.

The reduction: p = -1 mod 2^256 (spec §3.1.1: the low 256 bits of p are
ones), so -p^-1 = 1 mod 2^52 and q_i is digit i of T with the carry c of
the digits below: v = T_i + c, q_i = v mod 2^52, c = v >> 52. T + q_i p
2^(52 i) = (T - q_i 2^(52 i)) + q_i (p + 1) 2^(52 i): the first part only
clears digit i (c carries the rest) and is never computed; p + 1 = 0 mod
2^256 (digits 0-3 are 0), so the second starts 4 digits up. Hence q_i
depends on q_(i-4) and below and on the carry chain, not on q_(i-1): step i
adds the high halves of q_(i-3) (p + 1) and the low halves of q_(i-2)
(p + 1) after reading q_i, which keeps the serial chain (lane read, add,
and, shift) off the products' path.

The square: a^2 = sum_i a_i R_i 2^(52 i) with R_i = a_i 2^(52 i) + 2
sum_(j>i) a_j 2^(52 j), whose digits are a_i at i, e_(i+1) = 2 a_(i+1) mod
2^52 at i + 1, and d_j (digit j of 2a, e_j + (a_(j-1) >> 51)) from i + 2
on. The digits i and i + 1 of every row (the diagonal part: 2 (S + 1)
digits) are computed for all rows at once in vectors and enter the
accumulator with its window vectors; step i multiplies a_i by the copy of
d from digit i + 2 on (high halves) and a_(i+1) by it from digit i + 3 on
(low halves; both from d moved up i mod 8 + 1 digits, the vector holding
the first digit merge-masked): the products a_i a_j once per pair.

After the S steps and the q products still due, T = a^2 + Q p with digits
0..S-1 zero but for the carry c: r = T / 2^(52 S) is read from the window
at lane S mod 8 and c added to its digit 0, then normalised in registers
(finish below) and stored: no copy of the result but r. r < a^2 / R' + p <
2p. A lane receives at most 4 half products per digit pair it belongs to:
< 4 S 2^52 < 2^61.

Why generated assembly: written with intrinsics, GCC's register allocation
of the 11 rotating accumulators adds about five vector moves per step,
which take multiplier issue slots, and a switch it compiles to a jump table
(measured). No branch or address depends on a.

Usage: tools/gen_ifma_core.py > src/lib/arith/ifma_core.c
"""

import sys

W = 11  # SC_IFMA_MAXD / 8 + 1: the padded copy of d is W + 1 vectors


def nfull_(s_steps):
    return s_steps // 8


def sqcore(nv, s_steps):
    """Assembly lines of sc_ifma_sqcore{8 nv} (SysV):
    rdi: r, 8 nv digits: the result, normalised (r may be a: a is read
         before r is written)
    rsi: room, SC_SQ_ROOM vectors (64-aligned): at 0 the padded copy of
         d = 2a (a zero vector, d's nv vectors, a zero vector), at
         W + 1 + j the diagonal part's vector j for j > NV (vectors 0..NV
         go to the window's registers); left holding them (the caller's
         sc_ifma_room: the constant-time sc_ifma_sqr's caller wipes it
         once per exponentiation)
    rdx: a (8 nv digits)
    rcx: p + 1 moved up t = -2..7 digits at (t + 2)(NV + 1) vectors
    r8:  constants: 7 lane-broadcast indices (lanes 1..7), 2^52 - 1, the
         two interleave indices
    a^2 = sum_i a_i R_i 2^(52 i), R_i = a_i 2^(52 i) + 2 sum_(j>i) a_j
    2^(52 j), whose digits are: a_i at i, e_(i+1) = 2 a_(i+1) mod 2^52 at
    i + 1, d_j (digit j of 2a) from i + 2 on. The digits i and i + 1 of
    every row (the diagonal part, 2 (S + 1) digits) are computed for all
    rows at once and enter the accumulator with its window vectors; step i
    multiplies a_i by d moved up i mod 8 + 1 digits from digit i + 2 on
    (the vector holding that digit masked), read from the padded copy at
    8 (i mod 8 + 1) bytes below its vectors.
    """
    name = "sc_ifma_sqcore%d" % (8 * nv)
    nwin = nv + 1
    q_reg = [nwin + j for j in range(4)]
    cv, mask, vb, t, idx0 = nwin + 4, nwin + 5, (nwin + 6, nwin + 7), nwin + 8, nwin + 9
    av_reg = 31  # the vector of a whose digits the rows multiply by
    free = list(range(idx0 + 7, av_reg))  # the steps' loaded operands
    nd = (2 * s_steps + 2 + 7) // 8  # diagonal part vectors
    dbase = W + 1  # after the padded copy of d
    assert dbase + nd <= W + 1 + 20  # SC_SQ_ROOM in ifma_sqr.c
    out = []
    e = out.append

    def z(r):
        return "%%zmm%d" % r

    def win(g, k):
        return (g + k) % nwin

    e(".text")
    e(".p2align 6")
    e(".globl %s" % name)
    e(".hidden %s" % name)
    e(".type %s, @function" % name)
    e("%s:" % name)
    # entry registers: a in A0.., zero ZR, temporaries T1..T6, the
    # interleave indices, 2^52 - 1 (the window's registers 0..NV receive
    # the diagonal part)
    A0 = nwin
    ZR = A0 + nv
    T1, T2, T3, T4, T5, T6 = range(ZR + 1, ZR + 7)
    idx_lo, idx_hi, M = ZR + 7, ZR + 8, 31
    assert idx_hi < M

    def av(k):  # vector k of a, zero above
        return z(A0 + k) if k < nv else z(ZR)

    e("vpbroadcastq %d(%%r8), %s" % (64 * 7, z(M)))
    for k in range(nv):
        e("vmovdqu64 %d(%%rdx), %s" % (64 * k, z(A0 + k)))
    for r in (ZR, T2):
        e("vpxord %s, %s, %s" % (z(r), z(r), z(r)))
    # d = 2a: d[k] = ((a[k] << 1) & M) + (a >> 51 moved up a lane), stored
    # between zero vectors
    e("vmovdqa64 %s, 0(%%rsi)" % z(ZR))
    for k in range(nv):
        e("vpsrlq $51, %s, %s" % (av(k), z(T1)))
        e("valignq $7, %s, %s, %s" % (z(T2), z(T1), z(T3)))  # h moved up
        e("vpsllq $1, %s, %s" % (av(k), z(T4)))
        e("vpandq %s, %s, %s" % (z(M), z(T4), z(T4)))
        e("vpaddq %s, %s, %s" % (z(T3), z(T4), z(T4)))
        e("vmovdqa64 %s, %s" % (z(T1), z(T2)))
        e("vmovdqa64 %s, %d(%%rsi)" % (z(T4), 64 * (k + 1)))
    e("vmovdqa64 %s, %d(%%rsi)" % (z(ZR), 64 * (nv + 1)))
    # diagonal part: even digit 2i: lo(a_i a_i) + hi(a_(i-1) e_i); odd 2i+1:
    # hi(a_i a_i) + lo(a_i e_(i+1)). Per vector k of a: E' = e_(i+1).
    # Vectors 0..NV go to the window's registers, the others to the room.
    e("vpxord %s, %s, %s" % (z(T6), z(T6), z(T6)))  # H2 of the vector below
    e("vmovdqa64 %d(%%r8), %s" % (64 * 8, z(idx_lo)))
    e("vmovdqa64 %d(%%r8), %s" % (64 * 9, z(idx_hi)))
    for k in range(nv):
        # e of vector k and k+1: (a << 1) & M
        e("vpsllq $1, %s, %s" % (av(k), z(T1)))
        e("vpandq %s, %s, %s" % (z(M), z(T1), z(T1)))
        e("vpsllq $1, %s, %s" % (av(k + 1), z(T2)))
        e("vpandq %s, %s, %s" % (z(M), z(T2), z(T2)))
        e("valignq $1, %s, %s, %s" % (z(T1), z(T2), z(T3)))  # E'
        e("vpxord %s, %s, %s" % (z(T4), z(T4), z(T4)))
        e("vpmadd52luq %s, %s, %s" % (av(k), av(k), z(T4)))  # L1
        e("vpxord %s, %s, %s" % (z(T5), z(T5), z(T5)))
        e("vpmadd52huq %s, %s, %s" % (av(k), av(k), z(T5)))  # H1
        e("vpmadd52luq %s, %s, %s" % (z(T3), av(k), z(T5)))  # OD = H1 + L2
        e("vpxord %s, %s, %s" % (z(T1), z(T1), z(T1)))
        e("vpmadd52huq %s, %s, %s" % (z(T3), av(k), z(T1)))  # H2
        e("valignq $7, %s, %s, %s" % (z(T6), z(T1), z(T2)))  # H2 moved up
        e("vmovdqa64 %s, %s" % (z(T1), z(T6)))
        e("vpaddq %s, %s, %s" % (z(T2), z(T4), z(T4)))  # EV = L1 + H2 up
        # interleave: W[2k] = EV0 OD0 EV1 OD1 ..., W[2k+1] from lanes 4-7
        e("vmovdqa64 %s, %s" % (z(T4), z(T2)))
        e("vpermt2q %s, %s, %s" % (z(T5), z(idx_lo), z(T2)))
        e("vpermt2q %s, %s, %s" % (z(T5), z(idx_hi), z(T4)))
        for j, reg in ((2 * k, T2), (2 * k + 1, T4)):
            if j < nwin:
                e("vmovdqa64 %s, %s" % (z(reg), z(win(0, j))))
            else:
                e("vmovdqa64 %s, %d(%%rsi)" % (z(reg), 64 * (dbase + j)))
    # (the high half of a_(S-1) e_S would land in vector 2 nv: 0, and
    # the window never reaches it)
    assert nfull_(s_steps) + nv < nd <= 2 * nv
    for j in range(7):
        e("vmovdqa64 %d(%%r8), %s" % (64 * j, z(idx0 + j)))
    e("vmovdqa64 %s, %s" % (z(M), z(mask)))
    for r in q_reg + [cv]:
        e("vpxord %s, %s, %s" % (z(r), z(r), z(r)))
    # the row masks: k_j = lanes j..7, j = 1..7
    for j in range(1, 8):
        e("movl $%d, %%eax" % ((0xff << j) & 0xff))
        e("kmovw %%eax, %%k%d" % j)

    def a_digit(j, dst):
        """dst = a_j in every lane. Lane j mod 8 of a's vector j / 8, which
        av_reg holds (loaded when j reaches it): a lane permute
        by the q chain's index registers instead of a broadcast from
        memory (measured: the 79 broadcasts cost about 3 % of the core,
        docs/ARITH.md §2.9; a permute, nothing measurable)."""
        if j % 8 == 0:
            e("vmovdqu64 %d(%%rdx), %s" % (8 * j, z(av_reg)))
            e("vpbroadcastq %%xmm%d, %s" % (av_reg, dst))
        else:
            e("vpermq %s, %s, %s" % (z(av_reg), z(idx0 + j % 8 - 1), dst))

    # row 0's low halves a_0 d_j for j >= 2 (d itself, vector 0 masked to
    # lanes 2-7)
    a_digit(0, z(vb[0]))
    for k in range(0, (s_steps - 1) // 8 + 1):
        e("vpmadd52luq %d(%%rsi), %s, %s%s" % (64 * (k + 1), z(vb[0]), z(k), "{%k2}" if k == 0 else ""))
    nfull = s_steps // 8
    nlast = s_steps - 8 * nfull

    def madds(ops, base, addr, once):
        """ops: (k, h or l, multiplier, accumulator, mask) on vector k at
        addr(k)(base), memory operands; with once, a vector two of them use
        is loaded once into a free register (len(free) at a time)"""
        if not once:
            for k, op, vbr, acc, m in ops:
                e("vpmadd52%suq %d(%s), %s, %s%s" % (op, addr(k), base, vbr, acc, m))
            return
        ks = sorted(set(o[0] for o in ops))
        for c in range(0, len(ks), len(free)):
            chunk = ks[c:c + len(free)]
            src = {}
            for n, k in enumerate(chunk):
                src[k] = "%d(%s)" % (addr(k), base)
                if sum(1 for o in ops if o[0] == k) > 1:
                    e("vmovdqu64 %s, %s" % (src[k], z(free[n])))
                    src[k] = z(free[n])
            for k, op, vbr, acc, m in ops:
                if k in chunk:
                    e("vpmadd52%suq %s, %s, %s%s" % (op, src[k], vbr, acc, m))

    def xops(g, s, op, vbr, first_rel):
        res = []
        k0, k1 = max((s + 1) // 8, first_rel // 8), (s + s_steps) // 8
        for k in range(k0, k1 + 1):
            m = ""
            if k == first_rel // 8 and first_rel % 8:
                m = "{%%k%d}" % (first_rel % 8)
            res.append((k, op, vbr, z(win(g, k)), m))
        return res

    def step(i, g, s, rd, xh, xl, qh, ql):
        w0 = win(g, 0)
        if rd:
            qi = q_reg[i % 4]
            if s == 0:
                e("vpbroadcastq %s, %s" % ("%%xmm%d" % w0, z(t)))
            else:
                e("vpermq %s, %s, %s" % (z(w0), z(idx0 + s - 1), z(t)))
            e("vpaddq %s, %s, %s" % (z(cv), z(t), z(t)))
            e("vpandq %s, %s, %s" % (z(mask), z(t), z(qi)))
            e("vpsrlq $52, %s, %s" % (z(t), z(cv)))
        if xh or xl:
            vbh, vbl = z(vb[i % 2]), z(vb[(i + 1) % 2])
            ph = 8 * g + 2 * s + 3  # row i, high halves: from this position
            pl = ph + 1  # row i + 1, low halves
            if xl:
                a_digit(i + 1, vbl)
            ops = xops(g, s, "h", vbh, ph) if xh else []
            ops += xops(g, s, "l", vbl, pl) if xl else []
            if s + 1 < 8:  # d moved up s + 1 digits: 8 (s + 1) bytes below
                e("leaq %d(%%rsi), %%r9" % (-8 * (s + 1)))
                madds(ops, "%r9", lambda k: 64 * (k + 1), True)
            else:  # moved up 8: one vector below
                madds(ops, "%rsi", lambda k: 64 * k, True)
        if qh or ql:
            k0, k1 = (s + 2) // 8, (s + s_steps - 3) // 8
            ops = []
            for op, on, qr in (("h", qh, q_reg[(i - 3) % 4]), ("l", ql, q_reg[(i - 2) % 4])):
                if on:
                    ops += [(k, op, z(qr), z(win(g, k)), "") for k in range(k0, k1 + 1)]
            madds(ops, "%rcx", lambda k: 64 * (s * nwin + k), False)

    i = 0
    for g in range(nfull + 1):
        if g > 0:
            r = win(g, nv)  # the new top vector: the diagonal part's
            e("vmovdqa64 %d(%%rsi), %s" % (64 * (dbase + g + nv), z(r)))
        ns = 8 if g < nfull else nlast
        for s in range(ns):
            last = g == nfull and s == ns - 1
            step(i, g, s, 1, 1, not last, i >= 3, i >= 2)
            i += 1
    g = nfull
    step(i, g, nlast, 0, 0, 0, 1, 1)
    step(i + 1, g, nlast + 1, 0, 0, 0, 1, 1)
    step(i + 2, g, nlast + 2, 0, 0, 0, 1, 0)
    finish(e, z, [win(g, k) for k in range(nwin)], cv, mask, nv, nlast,
           (q_reg[0], q_reg[1]), q_reg[2], t, vb[0])
    e("vzeroupper")
    e("ret")
    e(".size %s, .-%s" % (name, name))
    return out


def finish(e, z, wv, cv, mask, nv, nlast, cregs, zero, tmp, one, bias=None):
    """r = digits S.. of the final window (registers wv, lowest first: from
    lane S mod 8 on) plus the carry c (cv) at digit 0, normalised into
    digits < 2^52 and stored at rdi. The value is < 2^(52 8 NV). One vector
    pass leaves lanes < 2^52 + 2^9 (carry 0 or 1 each); the 1-carries then
    ripple through the lanes equal to 2^52 - 1, which one integer addition
    of lane bit masks does (generate G: lane > 2^52 - 1, propagate P: lane
    = 2^52 - 1; carries in = ((G << 1) + P) ^ P), on two words for 80
    lanes. No branch, no memory but r. bias(k, reg), if given, emits an
    addition to vector k once it is aligned (the product core's zero-valued
    bias, tools/gen_ifma_mulcore.py)."""
    for k in range(nv):  # lanes nlast.. of wv[k], then wv[k + 1]'s
        e("valignq $%d, %s, %s, %s" % (nlast, z(wv[k]), z(wv[k + 1]), z(wv[k])))
        if bias:
            bias(k, z(wv[k]))
    e("movl $1, %eax")
    e("kmovw %eax, %k1")
    e("vpaddq %s, %s, %s{%%k1}" % (z(cv), z(wv[0]), z(wv[0])))
    e("vpsrlq $51, %s, %s" % (z(mask), z(one)))  # 1 in every lane
    e("vpxord %s, %s, %s" % (z(zero), z(zero), z(zero)))
    g, p = ("%r9", "%r10"), ("%r11", "%rcx")  # G, P: lanes 0-63, 64-
    for reg in g + p:
        e("xorq %s, %s" % (reg, reg))
    for k in range(nv):
        ck, cprev = z(cregs[k % 2]), z(cregs[(k - 1) % 2]) if k else z(zero)
        v = z(wv[k])
        e("vpsrlq $52, %s, %s" % (v, ck))
        e("vpandq %s, %s, %s" % (z(mask), v, v))
        e("valignq $7, %s, %s, %s" % (cprev, ck, z(tmp)))  # carries up a lane
        e("vpaddq %s, %s, %s" % (z(tmp), v, v))
        e("vpcmpuq $6, %s, %s, %%k2" % (z(mask), v))  # G: lane > 2^52 - 1
        e("vpcmpeqq %s, %s, %%k3" % (z(mask), v))  # P: lane = 2^52 - 1
        for kr, word in (("%k2", g[k // 8]), ("%k3", p[k // 8])):
            e("kmovw %s, %%eax" % kr)
            if k % 8:
                e("shlq $%d, %%rax" % (8 * (k % 8)))
            e("orq %%rax, %s" % word)
    # carries in = ((G << 1) + P) ^ P over the 8 NV bits
    if nv > 8:
        e("shldq $1, %s, %s" % (g[0], g[1]))
    e("movq %s, %%rax" % g[0])
    e("shlq $1, %rax")
    e("addq %s, %%rax" % p[0])
    if nv > 8:
        e("adcq %s, %s" % (p[1], g[1]))
        e("xorq %s, %s" % (p[1], g[1]))
    e("xorq %s, %%rax" % p[0])
    e("movq %%rax, %s" % g[0])
    for k in range(nv):
        v = z(wv[k])
        e("movq %s, %%rax" % g[k // 8])
        if k % 8:
            e("shrq $%d, %%rax" % (8 * (k % 8)))
        e("kmovw %eax, %k2")
        e("vpaddq %s, %s, %s{%%k2}" % (z(one), v, v))
        e("vpandq %s, %s, %s" % (z(mask), v, v))
        e("vmovdqu64 %s, %d(%%rdi)" % (v, 64 * k))


def write_unit(head, cores, unused):
    """The generated C file: the comment head (lines), then one asm()
    string with the lines of every core, assembled only with
    SC_HAVE_IFMA (typedef `unused` otherwise: ISO C has no empty unit)."""
    w = sys.stdout.write
    w("/* " + "\n * ".join(head) + " */\n")
    w("#include \"arith/mont.h\"\n\n")
    w("#ifdef SC_HAVE_IFMA\n")
    w("/* clang-format off */\n")
    w("__asm__(\n")
    for lines in cores:
        for line in lines:
            w('    "%s\\n"\n' % line)
    w(");\n")
    w("/* clang-format on */\n")
    w("#else\n")
    w("typedef int %s; /* ISO C: no empty unit */\n" % unused)
    w("#endif\n")


def main():
    write_unit(["Generated by tools/gen_ifma_core.py (the algorithm is described",
                "there): do not edit. The IFMA Montgomery squaring's steps with fixed",
                "registers, for 4096-bit (sc_ifma_sqcore80) and 3072-bit",
                "(sc_ifma_sqcore64) p; ifma_sqr.c calls them. Only assembled on",
                "x86-64 with SC_HAVE_IFMA; run only when sc_mont_init found AVX-512",
                "IFMA (m->ifma)."],
               [sqcore(nv, s) for nv, s in ((10, 79), (8, 60))],
               "sc_ifma_core_unused")


if __name__ == "__main__":
    main()

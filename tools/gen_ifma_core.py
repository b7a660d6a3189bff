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
lanes are not normalised (each < 2^61). Operands are read from copies moved
up by i mod 8 digits (built on entry, or once per modulus: sc_mont ps52),
so no instruction moves the accumulator; every eight steps the window drops
its lowest vector, which here is register renaming.

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
at lane S mod 8 and c added to its digit 0 (ifma_sqr.c, which also
normalises). r < a^2 / R' + p < 2p. A lane receives at most 4
half products per digit pair it belongs to: < 4 S 2^52 < 2^61.

Why generated assembly: written with intrinsics, GCC's register allocation
of the 11 rotating accumulators adds about five vector moves per step,
which take multiplier issue slots, and a switch it compiles to a jump table
(measured). No branch or address depends on a.

Usage: tools/gen_ifma_core.py > src/lib/arith/ifma_core.c
"""

import sys

W = 11  # vectors per operand copy of a (SC_IFMA_MAXD / 8 + 1)


def nfull_(s_steps):
    return s_steps // 8


def sqcore(nv, s_steps):
    """Assembly lines of sc_ifma_sqcore{8 nv} (SysV):
    rdi: out, NV + 2 vectors: the final window (relative order), then c
    rsi: room for 8 W + nd vectors (64-aligned): d = 2a in digits moved
         up t = 0..7 at t W (t = 8 is t = 0 read one vector down), then the
         diagonal part at 8 W (nd vectors); left holding them (the
         caller's sc_ifma_room: the constant-time sc_ifma_sqr's caller
         wipes it once per exponentiation)
    rdx: a (8 nv digits)
    rcx: p + 1 moved up t = -2..7 digits at (t + 2)(NV + 1) vectors
    r9:  constants: 7 lane-broadcast indices (lanes 1..7), 2^52 - 1, the
         two interleave indices
    a^2 = sum_i a_i R_i 2^(52 i), R_i = a_i 2^(52 i) + 2 sum_(j>i) a_j
    2^(52 j), whose digits are: a_i at i, e_(i+1) = 2 a_(i+1) mod 2^52 at
    i + 1, d_j (digit j of 2a) from i + 2 on. The digits i and i + 1 of
    every row (the diagonal part, 2 (S + 1) digits) are computed for all
    rows at once and enter the accumulator with its window vectors; step i
    multiplies a_i by the copy of d from digit i + 2 on (the vector holding
    that digit masked).
    """
    name = "sc_ifma_sqcore%d" % (8 * nv)
    nwin = nv + 1
    q_reg = [nwin + j for j in range(4)]
    cv, mask, vb, t, idx0 = nwin + 4, nwin + 5, (nwin + 6, nwin + 7), nwin + 8, nwin + 9
    nd = (2 * s_steps + 2 + 7) // 8  # diagonal part vectors
    dbase = 8 * W  # copies t = 0..7 (t = 8 is t = 0 one vector down)
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
    e("vpbroadcastq %d(%%r9), %s" % (64 * 7, z(31)))
    M = z(31)
    # a in zmm0..nv-1, zmm nv zero; d in zmm 11..11+nv-1 (nv <= 10)
    D0 = 11
    for k in range(nv):
        e("vmovdqu64 %d(%%rdx), %s" % (64 * k, z(k)))
    e("vpxord %s, %s, %s" % (z(nv), z(nv), z(nv)))
    T1, T2, T3, T4, T5, T6 = 21, 22, 23, 24, 25, 26
    # h[k] = a[k] >> 51 in T1 (previous in T2)
    e("vpxord %s, %s, %s" % (z(T2), z(T2), z(T2)))
    for k in range(nv):
        e("vpsrlq $51, %s, %s" % (z(k), z(T1)))
        e("valignq $7, %s, %s, %s" % (z(T2), z(T1), z(T3)))  # h moved up a lane
        e("vpsllq $1, %s, %s" % (z(k), z(D0 + k)))
        e("vpandq %s, %s, %s" % (M, z(D0 + k), z(D0 + k)))
        e("vpaddq %s, %s, %s" % (z(T3), z(D0 + k), z(D0 + k)))
        e("vmovdqa64 %s, %s" % (z(T1), z(T2)))
    # copies of d moved up t = 0..8
    zr = nv  # zero register
    for tt in range(0, 8):
        for k in range(nv + 1):
            hi = D0 + k if k < nv else zr
            lo = D0 + k - 1 if k > 0 else zr
            if tt == 0:
                src = z(hi)
            elif tt == 8:
                src = z(lo)
            else:
                e("valignq $%d, %s, %s, %s" % (8 - tt, z(lo), z(hi), z(T1)))
                src = z(T1)
            e("vmovdqa64 %s, %d(%%rsi)" % (src, 64 * (tt * W + k)))
    # diagonal part: even digit 2i: lo(a_i a_i) + hi(a_(i-1) e_i); odd 2i+1:
    # hi(a_i a_i) + lo(a_i e_(i+1)). Per vector k of a: E' = e_(i+1).
    e("vpxord %s, %s, %s" % (z(T6), z(T6), z(T6)))  # H2 of the vector below
    idx_lo = 27
    idx_hi = 28
    e("vmovdqa64 %d(%%r9), %s" % (64 * 8, z(idx_lo)))
    e("vmovdqa64 %d(%%r9), %s" % (64 * 9, z(idx_hi)))
    for k in range(nv):
        # e of vector k and k+1: (a << 1) & M
        e("vpsllq $1, %s, %s" % (z(k), z(T1)))
        e("vpandq %s, %s, %s" % (M, z(T1), z(T1)))
        e("vpsllq $1, %s, %s" % (z(k + 1), z(T2)))
        e("vpandq %s, %s, %s" % (M, z(T2), z(T2)))
        e("valignq $1, %s, %s, %s" % (z(T1), z(T2), z(T3)))  # E'
        e("vpxord %s, %s, %s" % (z(T4), z(T4), z(T4)))
        e("vpmadd52luq %s, %s, %s" % (z(k), z(k), z(T4)))  # L1
        e("vpxord %s, %s, %s" % (z(T5), z(T5), z(T5)))
        e("vpmadd52huq %s, %s, %s" % (z(k), z(k), z(T5)))  # H1
        e("vpmadd52luq %s, %s, %s" % (z(T3), z(k), z(T5)))  # OD = H1 + L2
        e("vpxord %s, %s, %s" % (z(T1), z(T1), z(T1)))
        e("vpmadd52huq %s, %s, %s" % (z(T3), z(k), z(T1)))  # H2
        e("valignq $7, %s, %s, %s" % (z(T6), z(T1), z(T2)))  # H2 moved up
        e("vmovdqa64 %s, %s" % (z(T1), z(T6)))
        e("vpaddq %s, %s, %s" % (z(T2), z(T4), z(T4)))  # EV = L1 + H2 up
        # interleave: W[2k] = EV0 OD0 EV1 OD1 ..., W[2k+1] from lanes 4-7
        e("vmovdqa64 %s, %s" % (z(T4), z(T2)))
        e("vpermt2q %s, %s, %s" % (z(T5), z(idx_lo), z(T2)))
        e("vpermt2q %s, %s, %s" % (z(T5), z(idx_hi), z(T4)))
        e("vmovdqa64 %s, %d(%%rsi)" % (z(T2), 64 * (dbase + 2 * k)))
        e("vmovdqa64 %s, %d(%%rsi)" % (z(T4), 64 * (dbase + 2 * k + 1)))
    # (the high half of a_(S-1) e_S would land in vector 2 nv: 0, and
    # the window never reaches it)
    assert nfull_(s_steps) + nv < nd <= 2 * nv
    for j in range(7):
        e("vmovdqa64 %d(%%r9), %s" % (64 * j, z(idx0 + j)))
    e("vmovdqa64 %s, %s" % (M, z(mask)))
    for r in q_reg + [cv]:
        e("vpxord %s, %s, %s" % (z(r), z(r), z(r)))
    # window: the diagonal part's vectors 0..NV; row 0's low halves a_0 d_j
    # for j >= 2 (copy t = 0, vector 0 masked to lanes 2-7)
    for k in range(nwin):
        e("vmovdqa64 %d(%%rsi), %s" % (64 * (dbase + k), z(k)))
    e("vpbroadcastq (%%rdx), %s" % z(vb[0]))
    e("movl $0xfc, %eax")
    e("kmovw %eax, %k1")
    for k in range(0, (s_steps - 1) // 8 + 1):
        e("vpmadd52luq %d(%%rsi), %s, %s%s" % (64 * k, z(vb[0]), z(k), "{%k1}" if k == 0 else ""))
    nfull = s_steps // 8
    nlast = s_steps - 8 * nfull

    def xops(i, g, s, op, vbr, first_rel):
        k0, k1 = max((s + 1) // 8, first_rel // 8), (s + s_steps) // 8
        for k in range(k0, k1 + 1):
            m = ""
            if k == first_rel // 8 and first_rel % 8:
                m = "{%%k%d}" % (1 if op == "h" else 2)
            off = (s + 1) * W + k if s + 1 < 8 else k - 1  # t = 8: t = 0 moved
            e("vpmadd52%suq %d(%%rsi), %s, %s%s" % ("h" if op == "h" else "l", 64 * off, vbr, z(win(g, k)), m))

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
                e("vpbroadcastq %d(%%rdx), %s" % (8 * (i + 1), vbl))
            if xh and ph % 8:
                e("movl $%d, %%eax" % ((0xff << (ph % 8)) & 0xff))
                e("kmovw %eax, %k1")
            if xl and pl % 8:
                e("movl $%d, %%eax" % ((0xff << (pl % 8)) & 0xff))
                e("kmovw %eax, %k2")
            if xh:
                xops(i, g, s, "h", vbh, ph)
            if xl:
                xops(i, g, s, "l", vbl, pl)
        if qh or ql:
            k0, k1 = (s + 2) // 8, (s + s_steps - 3) // 8
            for k in range(k0, k1 + 1):
                if qh:
                    e("vpmadd52huq %d(%%rcx), %s, %s" % (64 * (s * nwin + k), z(q_reg[(i - 3) % 4]), z(win(g, k))))
            for k in range(k0, k1 + 1):
                if ql:
                    e("vpmadd52luq %d(%%rcx), %s, %s" % (64 * (s * nwin + k), z(q_reg[(i - 2) % 4]), z(win(g, k))))

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
    for k in range(nwin):
        e("vmovdqu64 %s, %d(%%rdi)" % (z(win(g, k)), 64 * k))
    e("vmovdqu64 %s, %d(%%rdi)" % (z(cv), 64 * nwin))
    e("vpxord %s, %s, %s" % (z(t), z(t), z(t)))
    assert dbase + nd <= 8 * W + 20  # SC_SQ_ROOM in ifma_sqr.c
    e("vzeroupper")
    e("ret")
    e(".size %s, .-%s" % (name, name))
    return out


def main():
    w = sys.stdout.write
    w("/* Generated by tools/gen_ifma_core.py (the algorithm is described\n"
      " * there): do not edit. The IFMA Montgomery squaring's steps with fixed\n"
      " * registers, for 4096-bit (sc_ifma_sqcore80) and 3072-bit\n"
      " * (sc_ifma_sqcore64) p; ifma_sqr.c calls them. Only assembled on\n"
      " * x86-64 with SC_HAVE_IFMA; run only when sc_mont_init found AVX-512\n"
      " * IFMA (m->ifma). */\n")
    w("#include \"arith/mont.h\"\n\n")
    w("#ifdef SC_HAVE_IFMA\n")
    w("/* clang-format off */\n")
    w("__asm__(\n")
    for nv, s in ((10, 79), (8, 60)):
        for line in sqcore(nv, s):
            w('    "%s\\n"\n' % line)
    w(");\n")
    w("/* clang-format on */\n")
    w("#else\n")
    w("typedef int sc_ifma_core_unused; /* ISO C: no empty unit */\n")
    w("#endif\n")


if __name__ == "__main__":
    main()

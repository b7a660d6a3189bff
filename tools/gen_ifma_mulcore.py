#!/usr/bin/env python3
"""Writes src/lib/arith/ifma_mulcore.c: the AVX-512 IFMA Montgomery product
(radix 2^52, vpmadd52luq / vpmadd52huq; docs/ARITH.md §2.7) for the
4096-bit (NV = 10 vectors, S = 79 steps) and 3072-bit (NV = 8, S = 60)
primes: a b by one level of Karatsuba, then the digit-serial reduction.

r = a b / R' mod p, R' = 2^(52 S), value < 2p, for a, b < 2p in 8 NV digits
< 2^52 (4p < R', so digits S and up are 0): exactly the value of the
operand-scanning kernel it replaces, (a b + Q p) / R' with Q = -a b p^-1
mod R'.

The product. With h = 4 NV digits (N = NV / 2 vectors), a = a0 + a1 B^h,
b = b0 + b1 B^h (B = 2^52): X = a0 b0, Z = a1 b1, M = sa sb where sa =
a0 + a1 = s_a + alpha B^h (s_a normalised to h digits < 2^52, alpha the
carry out: the multipliers read only 52 bits of a digit), likewise sb =
s_b + gamma B^h; then a b = X + (M - X - Z) B^h + Z B^(2h) with M = s_a
s_b + (alpha s_b + gamma s_a) B^h + alpha gamma B^(2h). The carries are
masks: alpha and gamma select whole-vector additions, alpha gamma is
added as 0 or 1; no branch.

Each h x h product (prod) is 16 N^2 IFMA, every lane used: b_i times a
rotated by i mod 8 digits (a cyclic rotation of the h digits, loaded from
a at 64 v - 8 s bytes, and for the vector that wraps from a padded copy
holding a's top vector below its bottom one) lands lane-aligned: vector
v >= 1 of the rotation times b_(8u+s) is output vector u + v, and the
wrapping vector's lanes s..7 go to vector u, lanes 0..s-1 to vector
u + N (two merge-masked additions). The high halves of row i - 1 use the
same rotation as the low halves of row i, so both go into one fresh
register (zeroed, two IFMA, one addition to the accumulator: the
accumulators' chains are additions, not 4-cycle multiplies). s = 0 is
written out, s = 1..7 is a loop (its masks shifted a lane per iteration).

The combination, lanes signed (the differences can be negative per lane,
not in value): T vectors 0..N-1 = X0, N..2N-1 = X1 - X0 - Z0 + M0,
2N..3N-1 = Z0 - X1 - Z1 + M1 + alpha s_b + gamma s_a, 3N..4N-1 = Z1
(+ alpha gamma at lane 0), computed so that M accumulates directly into
its blocks. |lane| < 2 (8 h) 2^52 < 2^60 - 2^8.

The reduction is the squaring core's (tools/gen_ifma_core.py) without the
rows: a fixed window of NV + 1 vectors over T, q_i = digit i of T plus the
carry c of the digits below (p = -1 mod 2^52), the q (p + 1) products three
steps late (p + 1 = 0 mod 2^256), from p + 1 moved up i mod 8 digits
(sc_mont.ps52). The carry is an arithmetic shift (signed lanes); q_i is
the low 52 bits either way. The window's lanes from S on are then r; a
zero-valued bias (2^60 at lane 0, 2^60 - 2^8 above, -2^8 at the top lane)
makes every lane but the top >= 0, so the unsigned normalisation of the
squaring core gives r mod 2^(52 8 NV) = r. The bias is added after the
last q_i is read, so Q is the operand-scanning kernel's.

IFMA: 3 x 400 for a b, 79 x ~20.5 for q (p + 1): 2,820 for 4096-bit p
(the schoolbook kernel: 3,160; the schoolbook bound of docs/ARITH.md §2.2:
3,120). Straight-line code but for the rotation loop, whose branch and
addresses depend on its counter only; masks from the counter or from
the carries alpha, gamma (merge masks, not addresses). The room (rsi)
keeps copies of a's and the sums' vectors and T's upper vectors: the
caller's frame, wiped by sc_ifma_burn after secret work (ifma.c).

Usage: tools/gen_ifma_mulcore.py > src/lib/arith/ifma_mulcore.c
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_ifma_core import finish, write_unit  # noqa: E402


def z(r):
    return "%%zmm%d" % r


def room_vectors(nv):
    """the room: T slots (4N vectors, 2N+1.. used), the pads of a0 and a1
    (2 each), s_a padded (N + 1), s_b (N)"""
    n = nv // 2
    return 6 * n + 5


def prod(e, n, rot_base, pad_off, b_base, r0, acc_of, label):
    """acc_of(w) += vector w of the lanes of a b (8n digits each): vector v
    of a at rot_base = (register, displacement) + 64 v, its pad (the top
    vector, then the bottom one) at pad_off(%rsi), digit i of b at b_base
    + 8 i. Registers r0..r0+n+2; s = 1..7 loop with r12 (a - 8 s), r10
    (pad + 64 - 8 s), r11 (b + 8 s), ebx (s), k1 (lanes s..7)."""
    bl, bh, t = z(r0 + n), z(r0 + n + 1), z(r0 + n + 2)

    def rows(s, baddr):
        for u in range(n + 1):
            lo = u < n
            hi = u >= 1 if s == 0 else u < n
            if not (lo or hi):
                continue
            if lo:
                e("vpbroadcastq %s, %s" % (baddr(8 * u), bl))
            if hi:
                e("vpbroadcastq %s, %s" % (baddr(8 * u - 1), bh))
            for v in range(n):
                e("vpxord %s, %s, %s" % (t, t, t))
                if lo:
                    e("vpmadd52luq %s, %s, %s" % (z(r0 + v), bl, t))
                if hi:
                    e("vpmadd52huq %s, %s, %s" % (z(r0 + v), bh, t))
                if v == 0 and s:
                    e("vpaddq %s, %s, %s{%%k1}" % (t, acc_of(u), acc_of(u)))
                    e("vpaddq %s, %s, %s{%%k2}" % (t, acc_of(u + n), acc_of(u + n)))
                else:
                    e("vpaddq %s, %s, %s" % (t, acc_of(u + v), acc_of(u + v)))

    reg, disp = rot_base
    for v in range(n):  # s = 0: a itself
        e("vmovdqu64 %d(%s), %s" % (disp + 64 * v, reg, z(r0 + v)))
    rows(0, lambda d: "%d(%s)" % (b_base[1] + 8 * d, b_base[0]))
    e("leaq %d(%s), %%r12" % (disp - 8, reg))
    e("leaq %d(%%rsi), %%r10" % (pad_off + 64 - 8))
    e("leaq %d(%s), %%r11" % (b_base[1] + 8, b_base[0]))
    e("movl $1, %ebx")
    # k1 = lanes s..7 (output vector u), k2 = lanes 0..s-1 (u + n): k1
    # moves up a lane per iteration (its bits from 8 on are not read)
    e("movl $254, %eax")
    e("kmovw %eax, %k1")
    e("%s:" % label)
    e("knotw %k1, %k2")
    e("vmovdqu64 0(%%r10), %s" % z(r0))
    for v in range(1, n):
        e("vmovdqu64 %d(%%r12), %s" % (64 * v, z(r0 + v)))
    rows(1, lambda d: "%d(%%r11)" % (8 * d))
    e("subq $8, %r12")
    e("subq $8, %r10")
    e("addq $8, %r11")
    e("kshiftlw $1, %k1, %k1")
    e("addl $1, %ebx")
    e("cmpl $8, %ebx")
    e("jne %s" % label)


def addnorm(e, n, src0, src1, w, m, one, store):
    """registers w..w+n-1 = src0(k) + src1(k) with digits < 2^52 (carries
    in: ((G << 1) + P) ^ P over the lanes' generate / propagate bits, as
    ifma_norm.h), stored by store(k, reg); the carry out in %r10 (0/1)."""
    e("xorl %r10d, %r10d")
    e("xorl %r11d, %r11d")
    for k in range(n):
        e("vmovdqu64 %s, %s" % (src0(k), z(w + k)))
        e("vpaddq %s, %s, %s" % (src1(k), z(w + k), z(w + k)))
        e("vpcmpuq $6, %s, %s, %%k1" % (z(m), z(w + k)))
        e("vpcmpeqq %s, %s, %%k2" % (z(m), z(w + k)))
        for kr, reg in (("%k1", "%r10"), ("%k2", "%r11")):
            e("kmovw %s, %%eax" % kr)
            if k:
                e("shlq $%d, %%rax" % (8 * k))
            e("orq %%rax, %s" % reg)
    e("shlq $1, %r10")
    e("addq %r11, %r10")
    e("xorq %r10, %r11")  # r11: carries in
    e("shrq $%d, %%r10" % (8 * n))
    e("andl $1, %r10d")
    for k in range(n):
        e("movq %r11, %rax")
        if k:
            e("shrq $%d, %%rax" % (8 * k))
        e("kmovw %eax, %k1")
        e("vpaddq %s, %s, %s{%%k1}" % (z(one), z(w + k), z(w + k)))
        e("vpandq %s, %s, %s" % (z(m), z(w + k), z(w + k)))
        store(k, z(w + k))


def reduce(e, nv, s_steps):
    """The reduction over T: window registers 0..nv hold T vectors 0..nv,
    vector k > nv is at 64 k(%rsi); r8 ps52, r9 the constants; r stored
    at rdi by finish."""
    nwin = nv + 1
    q_reg = [nwin + j for j in range(4)]
    cv, mask, vb, t, idx0 = nwin + 4, nwin + 5, nwin + 6, nwin + 8, nwin + 9
    assert idx0 + 6 < 32

    def win(g, k):
        return (g + k) % nwin

    for j in range(7):
        e("vmovdqa64 %d(%%r9), %s" % (64 * j, z(idx0 + j)))
    e("vpbroadcastq %d(%%r9), %s" % (64 * 7, z(mask)))
    for r in q_reg + [cv]:
        e("vpxord %s, %s, %s" % (z(r), z(r), z(r)))
    nfull = s_steps // 8
    nlast = s_steps - 8 * nfull

    def step(i, g, s, rd, qh, ql):
        if rd:
            w0 = win(g, 0)
            if s == 0:
                e("vpbroadcastq %%xmm%d, %s" % (w0, z(t)))
            else:
                e("vpermq %s, %s, %s" % (z(w0), z(idx0 + s - 1), z(t)))
            e("vpaddq %s, %s, %s" % (z(cv), z(t), z(t)))
            e("vpandq %s, %s, %s" % (z(mask), z(t), z(q_reg[i % 4])))
            e("vpsraq $52, %s, %s" % (z(t), z(cv)))
        k0, k1 = (s + 2) // 8, (s + s_steps - 3) // 8
        for op, on, qr in (("h", qh, q_reg[(i - 3) % 4]), ("l", ql, q_reg[(i - 2) % 4])):
            if on:
                for k in range(k0, k1 + 1):
                    e("vpmadd52%suq %d(%%r8), %s, %s" % (op, 64 * (s * nwin + k), z(qr), z(win(g, k))))

    i = 0
    for g in range(nfull + 1):
        if g > 0:
            e("vmovdqa64 %d(%%rsi), %s" % (64 * (g + nv), z(win(g, nv))))
        for s in range(8 if g < nfull else nlast):
            step(i, g, s, 1, i >= 3, i >= 2)
            i += 1
    g = nfull
    step(i, g, nlast, 0, 1, 1)
    step(i + 1, g, nlast + 1, 0, 1, 1)
    step(i + 2, g, nlast + 2, 0, 1, 0)
    # the bias: 2^60 - 2^8 in every lane, 2^60 at lane 0, -2^8 at the top
    b1, bf, bt = idx0, idx0 + 1, idx0 + 2
    e("movabsq $%d, %%rax" % ((1 << 60) - 256))
    e("vpbroadcastq %%rax, %s" % z(b1))
    e("vmovdqa64 %s, %s" % (z(b1), z(bf)))
    e("vmovdqa64 %s, %s" % (z(b1), z(bt)))
    e("movl $1, %eax")
    e("kmovw %eax, %k1")
    e("movl $128, %eax")
    e("kmovw %eax, %k2")
    e("movabsq $%d, %%rax" % (1 << 60))
    e("vpbroadcastq %%rax, %s{%%k1}" % z(bf))
    e("movq $-256, %rax")
    e("vpbroadcastq %%rax, %s{%%k2}" % z(bt))

    def bias(k, reg):
        src = bf if k == 0 else bt if k == nv - 1 else b1
        e("vpaddq %s, %s, %s" % (z(src), reg, reg))

    finish(e, z, [win(g, k) for k in range(nwin)], cv, mask, nv, nlast,
           (q_reg[0], q_reg[1]), q_reg[2], t, vb, bias)


def mulcore(nv, s_steps):
    """Assembly lines of sc_ifma_mulcore{8 nv} (SysV): rdi r (8 nv digits,
    normalised; may be a or b: they are read before r is written); rsi the
    room (room_vectors(nv) vectors, 64-aligned); rdx a; rcx b; r8 p + 1
    moved up t = -2..7 digits (sc_mont.ps52); r9 the constants (sc_ifma_cst:
    lane-broadcast indices, 2^52 - 1 at 448). rbx, r12 saved on the stack."""
    n = nv // 2
    name = "sc_ifma_mulcore%d" % (8 * nv)
    pa0 = 4 * n
    pa1 = pa0 + 2
    psa = pa1 + 2
    psb = psa + n + 1
    assert psb + n == room_vectors(nv)

    def ro(k):
        return "%d(%%rsi)" % (64 * k)

    m, one = 31, 30
    w = 3 * n  # the products' registers (w..w+n+2)
    out = []
    e = out.append
    e(".text")
    e(".p2align 6")
    e(".globl %s" % name)
    e(".hidden %s" % name)
    e(".type %s, @function" % name)
    e("%s:" % name)
    e("pushq %rbx")
    e("pushq %r12")
    e("vpbroadcastq 448(%%r9), %s" % z(m))
    e("vpsrlq $51, %s, %s" % (z(m), z(one)))
    # pads: top vector of a0 (a1) below its bottom vector
    for dst, src in ((pa0, n - 1), (pa0 + 1, 0), (pa1, 2 * n - 1), (pa1 + 1, n)):
        e("vmovdqu64 %d(%%rdx), %s" % (64 * src, z(w)))
        e("vmovdqa64 %s, %s" % (z(w), ro(dst)))

    def store_sa(k, reg):
        e("vmovdqa64 %s, %s" % (reg, ro(psa + 1 + k)))
        if k == n - 1:
            e("vmovdqa64 %s, %s" % (reg, ro(psa)))

    addnorm(e, n, lambda k: "%d(%%rdx)" % (64 * k),
            lambda k: "%d(%%rdx)" % (64 * (n + k)), w, m, one, store_sa)
    e("negq %r10")
    e("kmovw %r10d, %k3")  # alpha: every lane or none
    addnorm(e, n, lambda k: "%d(%%rcx)" % (64 * k),
            lambda k: "%d(%%rcx)" % (64 * (n + k)), w, m, one,
            lambda k, reg: e("vmovdqa64 %s, %s" % (reg, ro(psb + k))))
    e("negq %r10")
    e("kmovw %r10d, %k4")  # gamma
    # Z = a1 b1 in zmm0..2n-1; Z1 to T's slots 3n..; Z0 to H = zmm2n..3n-1
    for k in range(2 * n):
        e("vpxord %s, %s, %s" % (z(k), z(k), z(k)))
    prod(e, n, ("%rdx", 64 * n), 64 * pa1, ("%rcx", 64 * n), w, z,
         ".Lsc_km%d_z" % nv)
    for k in range(n):
        e("vmovdqa64 %s, %s" % (z(n + k), ro(3 * n + k)))
        e("vmovdqa64 %s, %s" % (z(k), z(2 * n + k)))
    # X = a0 b0 in zmm0..2n-1
    for k in range(2 * n):
        e("vpxord %s, %s, %s" % (z(k), z(k), z(k)))
    prod(e, n, ("%rdx", 0), 64 * pa0, ("%rcx", 0), w, z, ".Lsc_km%d_x" % nv)
    # H = Z0 - X1 - Z1 + alpha s_b + gamma s_a; X1 := X1 - Z0 - X0
    e("vpxord %s, %s, %s" % (z(w), z(w), z(w)))
    for k in range(n):
        h, x0, x1 = z(2 * n + k), z(k), z(n + k)
        e("vpsubq %s, %s, %s" % (x1, h, h))  # Z0 - X1
        e("vpaddq %s, %s, %s" % (x0, h, x1))
        e("vpsubq %s, %s, %s" % (x1, z(w), x1))  # X1 - Z0 - X0
        e("vpsubq %s, %s, %s" % (ro(3 * n + k), h, h))
        e("vpaddq %s, %s, %s{%%k3}" % (ro(psb + k), h, h))
        e("vpaddq %s, %s, %s{%%k4}" % (ro(psa + 1 + k), h, h))
    # alpha gamma at digit 3h of T (slot 3n, lane 0)
    e("kandw %k3, %k4, %k5")
    e("kmovw %k5, %eax")
    e("andl $1, %eax")
    e("addq %%rax, %s" % ro(3 * n))
    # M = s_a s_b into X1 (its vectors 0..n-1) and H (n..2n-1)
    prod(e, n, ("%rsi", 64 * (psa + 1)), 64 * psa, ("%rsi", 64 * psb), w,
         lambda k: z(n + k), ".Lsc_km%d_m" % nv)
    # T vectors 0..2n in the window's registers 0..2n; 2n+1..3n-1 stored
    for k in range(1, n):
        e("vmovdqa64 %s, %s" % (z(2 * n + k), ro(2 * n + k)))
    reduce(e, nv, s_steps)
    e("popq %r12")
    e("popq %rbx")
    e("vzeroupper")
    e("ret")
    e(".size %s, .-%s" % (name, name))
    return out


def main():
    write_unit(["Generated by tools/gen_ifma_mulcore.py (the algorithm is described",
                "there): do not edit. The IFMA Montgomery product (one Karatsuba",
                "level, then the digit-serial reduction) for 4096-bit",
                "(sc_ifma_mulcore80) and 3072-bit (sc_ifma_mulcore64) p; ifma.c",
                "calls them. Only assembled on x86-64 with SC_HAVE_IFMA; run only",
                "when sc_mont_init found AVX-512 IFMA (m->ifma)."],
               [mulcore(nv, s) for nv, s in ((10, 79), (8, 60))],
               "sc_ifma_mulcore_unused")


if __name__ == "__main__":
    main()

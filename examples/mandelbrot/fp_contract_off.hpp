// Begins a region compiled without fused multiply-adds; end it with fp_contract_restore.hpp.
//
// A fused multiply-add rounds a*b + c once instead of twice. GCC fuses whenever the target has FMA
// (-march=native) and might fuse the scalar and the SIMD kernel differently; numba never fuses. The
// pixel coordinates and both kernels are therefore compiled without fusing, so that they agree bit for
// bit with each other and with the course's numba code on every machine.
//
// No include guard on purpose: each including header opens its own region.
#if defined(__clang__)
#pragma float_control(push)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

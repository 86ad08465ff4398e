// Ends a region begun by fp_contract_off.hpp. No include guard on purpose.
#if defined(__clang__)
#pragma float_control(pop)
#elif defined(__GNUC__)
#pragma GCC pop_options
#endif

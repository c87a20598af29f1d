// Element-wise arithmetic, comparisons and math functions, out-of-place and in-place.
#include "shim.h"

#define GCT_BINARY(name, expr)                                          \
    GCT_EXPORT gct_tensor gct_##name(gct_tensor a_, gct_tensor b_) {    \
        GCT_TENSOR(auto& a = gct::T(a_); auto& b = gct::T(b_); return expr); \
    }
#define GCT_SCALAR(name, expr)                                          \
    GCT_EXPORT gct_tensor gct_##name(gct_tensor a_, double s_) {        \
        GCT_TENSOR(auto& a = gct::T(a_); auto s = gct::scalar_for(a, s_); return expr); \
    }
#define GCT_UNARY(name, expr)                                           \
    GCT_EXPORT gct_tensor gct_##name(gct_tensor a_) {                   \
        GCT_TENSOR(auto& a = gct::T(a_); return expr);                  \
    }
#define GCT_INPLACE_BINARY(name, expr)                                  \
    GCT_EXPORT int gct_##name(gct_tensor a_, gct_tensor b_) {           \
        GCT_STATUS(auto& a = gct::T(a_); auto& b = gct::T(b_); expr);   \
    }
#define GCT_INPLACE_SCALAR(name, expr)                                  \
    GCT_EXPORT int gct_##name(gct_tensor a_, double s_) {               \
        GCT_STATUS(auto& a = gct::T(a_); auto s = gct::scalar_for(a, s_); expr); \
    }

// alpha goes through scalar_for too: ATen rejects a floating-point alpha for integral tensors
// ("argument alpha must not be a floating point number"), which broke every int64 add/sub.
GCT_EXPORT gct_tensor gct_add(gct_tensor a_, gct_tensor b_, double alpha) {
    GCT_TENSOR(auto& a = gct::T(a_); return at::add(a, gct::T(b_), gct::scalar_for(a, alpha)));
}
GCT_EXPORT gct_tensor gct_sub(gct_tensor a_, gct_tensor b_, double alpha) {
    GCT_TENSOR(auto& a = gct::T(a_); return at::sub(a, gct::T(b_), gct::scalar_for(a, alpha)));
}
GCT_BINARY(mul, at::mul(a, b))
GCT_BINARY(div, at::div(a, b))
GCT_BINARY(pow, at::pow(a, b))
GCT_BINARY(maximum, at::maximum(a, b))
GCT_BINARY(minimum, at::minimum(a, b))
GCT_BINARY(eq, at::eq(a, b))
GCT_BINARY(ne, at::ne(a, b))
GCT_BINARY(gt, at::gt(a, b))
GCT_BINARY(ge, at::ge(a, b))
GCT_BINARY(lt, at::lt(a, b))
GCT_BINARY(le, at::le(a, b))

GCT_SCALAR(add_scalar, at::add(a, s))
GCT_SCALAR(sub_scalar, at::sub(a, s))
GCT_SCALAR(rsub_scalar, at::rsub(a, s))
GCT_SCALAR(mul_scalar, at::mul(a, s))
GCT_SCALAR(div_scalar, at::div(a, s))
GCT_SCALAR(pow_scalar, at::pow(a, s))
GCT_SCALAR(eq_scalar, at::eq(a, s))
GCT_SCALAR(gt_scalar, at::gt(a, s))
GCT_SCALAR(lt_scalar, at::lt(a, s))

GCT_UNARY(neg, at::neg(a))
GCT_UNARY(abs, at::abs(a))
GCT_UNARY(exp, at::exp(a))
GCT_UNARY(log, at::log(a))
GCT_UNARY(sqrt, at::sqrt(a))
GCT_UNARY(square, at::square(a))
GCT_UNARY(sin, at::sin(a))
GCT_UNARY(cos, at::cos(a))
GCT_UNARY(sign, at::sign(a))

GCT_EXPORT gct_tensor gct_clamp(gct_tensor a, double min, double max) { GCT_TENSOR(return at::clamp(gct::T(a), min, max)); }
GCT_EXPORT gct_tensor gct_where(gct_tensor condition, gct_tensor a, gct_tensor b) {
    GCT_TENSOR(return at::where(gct::T(condition), gct::T(a), gct::T(b)));
}

GCT_EXPORT int gct_add_(gct_tensor a_, gct_tensor b_, double alpha) {
    GCT_STATUS(auto& a = gct::T(a_); a.add_(gct::T(b_), gct::scalar_for(a, alpha)));
}
GCT_INPLACE_BINARY(mul_, a.mul_(b))
GCT_INPLACE_BINARY(copy_, a.copy_(b))
GCT_INPLACE_SCALAR(add_scalar_, a.add_(s))
GCT_INPLACE_SCALAR(mul_scalar_, a.mul_(s))
GCT_INPLACE_SCALAR(fill_, a.fill_(s))

GCT_EXPORT int gct_zero_(gct_tensor a) { GCT_STATUS(gct::T(a).zero_()); }
GCT_EXPORT int gct_normal_(gct_tensor a, double mean, double std, gct_generator generator) {
    GCT_STATUS(gct::T(a).normal_(mean, std, gct::opt(generator)));
}
GCT_EXPORT int gct_uniform_(gct_tensor a, double from, double to, gct_generator generator) {
    GCT_STATUS(gct::T(a).uniform_(from, to, gct::opt(generator)));
}

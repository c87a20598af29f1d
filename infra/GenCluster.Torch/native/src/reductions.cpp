// Reductions over all elements or over given dimensions.
#include "shim.h"

GCT_EXPORT gct_tensor gct_sum(gct_tensor a) { GCT_TENSOR(return at::sum(gct::T(a))); }
GCT_EXPORT gct_tensor gct_mean(gct_tensor a) { GCT_TENSOR(return at::mean(gct::T(a))); }

GCT_EXPORT gct_tensor gct_sum_dims(gct_tensor a, const int64_t* dims, int ndims, int keepdim) {
    GCT_TENSOR(return at::sum(gct::T(a), gct::ints(dims, ndims), keepdim != 0));
}

GCT_EXPORT gct_tensor gct_mean_dims(gct_tensor a, const int64_t* dims, int ndims, int keepdim) {
    GCT_TENSOR(return at::mean(gct::T(a), gct::ints(dims, ndims), keepdim != 0));
}

GCT_EXPORT gct_tensor gct_var_dims(gct_tensor a, const int64_t* dims, int ndims, int unbiased, int keepdim) {
    GCT_TENSOR(return at::var(gct::T(a), gct::ints(dims, ndims), unbiased != 0, keepdim != 0));
}

GCT_EXPORT gct_tensor gct_max(gct_tensor a) { GCT_TENSOR(return at::max(gct::T(a))); }
GCT_EXPORT gct_tensor gct_min(gct_tensor a) { GCT_TENSOR(return at::min(gct::T(a))); }

// Values of the maximum along `dim`; the indices come from gct_argmax.
GCT_EXPORT gct_tensor gct_amax(gct_tensor a, int64_t dim, int keepdim) {
    GCT_TENSOR(return at::amax(gct::T(a), {dim}, keepdim != 0));
}

GCT_EXPORT gct_tensor gct_argmax(gct_tensor a, int64_t dim, int keepdim) {
    GCT_TENSOR(return at::argmax(gct::T(a), dim, keepdim != 0));
}

GCT_EXPORT gct_tensor gct_log_softmax(gct_tensor a, int64_t dim) { GCT_TENSOR(return at::log_softmax(gct::T(a), dim)); }
GCT_EXPORT gct_tensor gct_softmax(gct_tensor a, int64_t dim) { GCT_TENSOR(return at::softmax(gct::T(a), dim)); }

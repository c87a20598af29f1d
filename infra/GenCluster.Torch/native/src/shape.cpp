// Views and shape manipulation: reshape, view, permute, slicing, joining, indexing.
#include "shim.h"

#include <vector>

GCT_EXPORT gct_tensor gct_reshape(gct_tensor a, const int64_t* shape, int ndim) {
    GCT_TENSOR(return gct::T(a).reshape(gct::ints(shape, ndim)));
}

GCT_EXPORT gct_tensor gct_view(gct_tensor a, const int64_t* shape, int ndim) {
    GCT_TENSOR(return gct::T(a).view(gct::ints(shape, ndim)));
}

GCT_EXPORT gct_tensor gct_permute(gct_tensor a, const int64_t* dims, int ndim) {
    GCT_TENSOR(return gct::T(a).permute(gct::ints(dims, ndim)));
}

GCT_EXPORT gct_tensor gct_transpose(gct_tensor a, int64_t dim0, int64_t dim1) {
    GCT_TENSOR(return gct::T(a).transpose(dim0, dim1));
}

GCT_EXPORT gct_tensor gct_expand(gct_tensor a, const int64_t* shape, int ndim) {
    GCT_TENSOR(return gct::T(a).expand(gct::ints(shape, ndim)));
}

GCT_EXPORT gct_tensor gct_flatten(gct_tensor a, int64_t start_dim, int64_t end_dim) {
    GCT_TENSOR(return gct::T(a).flatten(start_dim, end_dim));
}

GCT_EXPORT gct_tensor gct_squeeze(gct_tensor a, int64_t dim) { GCT_TENSOR(return gct::T(a).squeeze(dim)); }
GCT_EXPORT gct_tensor gct_unsqueeze(gct_tensor a, int64_t dim) { GCT_TENSOR(return gct::T(a).unsqueeze(dim)); }

GCT_EXPORT gct_tensor gct_narrow(gct_tensor a, int64_t dim, int64_t start, int64_t length) {
    GCT_TENSOR(return gct::T(a).narrow(dim, start, length));
}

// Python's a[start:end:step] along one dimension (end is clamped like Python slicing).
GCT_EXPORT gct_tensor gct_slice(gct_tensor a, int64_t dim, int64_t start, int64_t end, int64_t step) {
    GCT_TENSOR(return gct::T(a).slice(dim, start, end, step));
}

GCT_EXPORT gct_tensor gct_select(gct_tensor a, int64_t dim, int64_t index) {
    GCT_TENSOR(return gct::T(a).select(dim, index));
}

GCT_EXPORT gct_tensor gct_index_select(gct_tensor a, int64_t dim, gct_tensor index) {
    GCT_TENSOR(return at::index_select(gct::T(a), dim, gct::T(index)));
}

static std::vector<at::Tensor> gather(const gct_tensor* tensors, int count) {
    if (count <= 0) throw std::invalid_argument("expected a non-empty list of tensors");
    if (tensors == nullptr) throw std::invalid_argument("null tensor list");
    std::vector<at::Tensor> list;
    list.reserve(static_cast<size_t>(count));
    for (int i = 0; i < count; ++i) list.push_back(gct::T(tensors[i]));
    return list;
}

GCT_EXPORT gct_tensor gct_cat(const gct_tensor* tensors, int count, int64_t dim) {
    GCT_TENSOR(return at::cat(gather(tensors, count), dim));
}

GCT_EXPORT gct_tensor gct_stack(const gct_tensor* tensors, int count, int64_t dim) {
    GCT_TENSOR(return at::stack(gather(tensors, count), dim));
}

GCT_EXPORT gct_tensor gct_matmul(gct_tensor a, gct_tensor b) { GCT_TENSOR(return at::matmul(gct::T(a), gct::T(b))); }
GCT_EXPORT gct_tensor gct_mm(gct_tensor a, gct_tensor b) { GCT_TENSOR(return at::mm(gct::T(a), gct::T(b))); }

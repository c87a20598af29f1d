// Tensor metadata and conversions: shape, dtype, device, data pointer, scalar reads, casts.
#include "shim.h"

#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>

GCT_EXPORT int gct_dim(gct_tensor tensor, int64_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int64_t>(gct::T(tensor).dim()); });
}

// Writes up to `capacity` sizes into `out`; returns -1 when the tensor has more dimensions.
GCT_EXPORT int gct_sizes(gct_tensor tensor, int64_t* out, int capacity) {
    GCT_STATUS(
        auto sizes = gct::T(tensor).sizes();
        if (static_cast<int64_t>(sizes.size()) > capacity) throw std::invalid_argument("shape buffer too small");
        for (size_t i = 0; i < sizes.size(); ++i) out[i] = sizes[i];
    );
}

GCT_EXPORT int gct_numel(gct_tensor tensor, int64_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int64_t>(gct::T(tensor).numel()); });
}

GCT_EXPORT int gct_dtype(gct_tensor tensor, int32_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int32_t>(gct::T(tensor).scalar_type()); });
}

// out[0] = device type (0 cpu, 1 cuda), out[1] = device index (-1 when unspecified).
GCT_EXPORT int gct_device(gct_tensor tensor, int32_t* out) {
    GCT_STATUS(
        auto d = gct::T(tensor).device();
        out[0] = static_cast<int32_t>(d.type());
        out[1] = static_cast<int32_t>(d.index());
    );
}

GCT_EXPORT int gct_is_contiguous(gct_tensor tensor, int32_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int32_t>(gct::T(tensor).is_contiguous()); });
}

// The address of the first element; only meaningful for CPU tensors.
GCT_EXPORT int gct_data_ptr(gct_tensor tensor, void** out) {
    return gct::guard_value(out, [&] {
        auto& t = gct::T(tensor);
        if (!t.device().is_cpu()) throw std::invalid_argument("data_ptr needs a CPU tensor, got " + t.device().str());
        return t.data_ptr();
    });
}

GCT_EXPORT int gct_item_double(gct_tensor tensor, double* out) {
    return gct::guard_value(out, [&] { return gct::T(tensor).item<double>(); });
}

GCT_EXPORT int gct_item_int64(gct_tensor tensor, int64_t* out) {
    return gct::guard_value(out, [&] { return gct::T(tensor).item<int64_t>(); });
}

GCT_EXPORT gct_tensor gct_to_dtype(gct_tensor tensor, int dtype) {
    GCT_TENSOR(return gct::T(tensor).to(gct::scalar_type(dtype)));
}

GCT_EXPORT gct_tensor gct_to_device(gct_tensor tensor, int device_type, int device_index) {
    GCT_TENSOR(return gct::T(tensor).to(gct::device(device_type, device_index)));
}

GCT_EXPORT gct_tensor gct_clone(gct_tensor tensor) { GCT_TENSOR(return gct::T(tensor).clone()); }

GCT_EXPORT gct_tensor gct_contiguous(gct_tensor tensor) { GCT_TENSOR(return gct::T(tensor).contiguous()); }

// A second handle to the same tensor (same storage, same autograd identity).
GCT_EXPORT gct_tensor gct_alias(gct_tensor tensor) { GCT_TENSOR(return gct::T(tensor)); }

GCT_EXPORT int gct_equal(gct_tensor a, gct_tensor b, int32_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int32_t>(at::equal(gct::T(a), gct::T(b))); });
}

GCT_EXPORT int gct_allclose(gct_tensor a, gct_tensor b, double rtol, double atol, int32_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int32_t>(at::allclose(gct::T(a), gct::T(b), rtol, atol)); });
}

GCT_EXPORT int gct_set_num_threads(int threads) {
    GCT_STATUS(
        if (threads < 1) throw std::invalid_argument("thread count must be at least 1, got " + std::to_string(threads));
        at::set_num_threads(threads);
    );
}

GCT_EXPORT int gct_get_num_threads() { return at::get_num_threads(); }

GCT_EXPORT int gct_cuda_is_available() { return at::hasCUDA() ? 1 : 0; }

GCT_EXPORT int gct_cuda_device_count() {
    try {
        return at::hasCUDA() ? static_cast<int>(at::detail::getCUDAHooks().getNumGPUs()) : 0;
    } catch (...) {
        return 0;
    }
}

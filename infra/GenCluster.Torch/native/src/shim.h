// Shared plumbing of the GenCluster libtorch shim.
//
// Every exported function is extern "C", takes and returns opaque handles (heap-allocated
// at::Tensor / at::Generator) and never lets a C++ exception escape: the message goes to a
// thread-local last error and the function returns nullptr (handles) or -1 (status codes).
// The C# side (GenCluster.Torch) turns that into a TorchException.
#pragma once

#include <ATen/ATen.h>
#include <ATen/core/Generator.h>
#include <ATen/CPUGeneratorImpl.h>
#include <c10/util/Exception.h>

#include <cstdint>
#include <stdexcept>
#include <string>

#define GCT_EXPORT extern "C" __attribute__((visibility("default")))

typedef at::Tensor* gct_tensor;
typedef at::Generator* gct_generator;

namespace gct {

void set_last_error(const char* message);

inline at::Tensor& T(gct_tensor handle) {
    if (handle == nullptr) throw std::invalid_argument("null tensor handle");
    return *handle;
}

// Optional tensor arguments arrive as nullptr.
inline c10::optional<at::Tensor> opt(gct_tensor handle) {
    if (handle == nullptr) return c10::nullopt;
    return *handle;
}

inline c10::optional<at::Generator> opt(gct_generator handle) {
    if (handle == nullptr) return c10::nullopt;
    return *handle;
}

inline at::IntArrayRef ints(const int64_t* values, int count) {
    if (count < 0) throw std::invalid_argument("negative array length");
    if (count > 0 && values == nullptr) throw std::invalid_argument("null array");
    return at::IntArrayRef(values, static_cast<size_t>(count));
}

at::ScalarType scalar_type(int dtype);
at::Device device(int device_type, int device_index);
at::TensorOptions options(int dtype, int device_type, int device_index);

// ATen factories refuse requires_grad in TensorOptions; set it on the new leaf instead.
inline at::Tensor leaf(at::Tensor tensor, bool requires_grad) {
    if (requires_grad) tensor.set_requires_grad(true);
    return tensor;
}

// Scalars cross the ABI as double; an integral value meant for an integer tensor must stay an
// integer Scalar, or type promotion turns `long_tensor += 1` into a float result and fails.
inline at::Scalar scalar_for(const at::Tensor& tensor, double value) {
    if (!at::isFloatingType(tensor.scalar_type()) && value == static_cast<double>(static_cast<int64_t>(value))) {
        return at::Scalar(static_cast<int64_t>(value));
    }
    return at::Scalar(value);
}

inline gct_tensor wrap(at::Tensor tensor) { return new at::Tensor(std::move(tensor)); }

// Stores the message of the exception being handled; call only inside a catch block.
void record_current_exception() noexcept;

template <typename F>
gct_tensor guard_tensor(F&& body) noexcept {
    try {
        return wrap(body());
    } catch (...) {
        record_current_exception();
    }
    return nullptr;
}

template <typename F>
int guard_status(F&& body) noexcept {
    try {
        body();
        return 0;
    } catch (...) {
        record_current_exception();
    }
    return -1;
}

// For functions returning a value: the result goes to *out, the return is a status.
template <typename R, typename F>
int guard_value(R* out, F&& body) noexcept {
    return guard_status([&] {
        if (out == nullptr) throw std::invalid_argument("null output pointer");
        *out = body();
    });
}

}  // namespace gct

#define GCT_TENSOR(...) return gct::guard_tensor([&]() -> at::Tensor { __VA_ARGS__; })
#define GCT_STATUS(...) return gct::guard_status([&]() { __VA_ARGS__; })

// Tensor creation: factories, copies from host memory, random generators.
#include "shim.h"

#include <cstring>

#define GCT_OPTS int dtype, int device_type, int device_index, int requires_grad
#define GCT_MAKE_OPTS gct::options(dtype, device_type, device_index)

GCT_EXPORT gct_tensor gct_empty(const int64_t* shape, int ndim, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::empty(gct::ints(shape, ndim), GCT_MAKE_OPTS), requires_grad));
}

GCT_EXPORT gct_tensor gct_zeros(const int64_t* shape, int ndim, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::zeros(gct::ints(shape, ndim), GCT_MAKE_OPTS), requires_grad));
}

GCT_EXPORT gct_tensor gct_ones(const int64_t* shape, int ndim, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::ones(gct::ints(shape, ndim), GCT_MAKE_OPTS), requires_grad));
}

GCT_EXPORT gct_tensor gct_full(const int64_t* shape, int ndim, double value, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::full(gct::ints(shape, ndim), value, GCT_MAKE_OPTS), requires_grad));
}

GCT_EXPORT gct_tensor gct_randn(const int64_t* shape, int ndim, gct_generator generator, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::randn(gct::ints(shape, ndim), gct::opt(generator), GCT_MAKE_OPTS), requires_grad));
}

GCT_EXPORT gct_tensor gct_rand(const int64_t* shape, int ndim, gct_generator generator, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::rand(gct::ints(shape, ndim), gct::opt(generator), GCT_MAKE_OPTS), requires_grad));
}

GCT_EXPORT gct_tensor gct_randint(int64_t low, int64_t high, const int64_t* shape, int ndim, gct_generator generator, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::randint(low, high, gct::ints(shape, ndim), gct::opt(generator), GCT_MAKE_OPTS), requires_grad));
}

GCT_EXPORT gct_tensor gct_arange(double start, double end, double step, GCT_OPTS) {
    GCT_TENSOR(return gct::leaf(at::arange(start, end, step, GCT_MAKE_OPTS), requires_grad));
}

// Copies `byte_count` bytes of host memory into a new CPU tensor of the given shape and dtype.
GCT_EXPORT gct_tensor gct_from_buffer(const void* data, int64_t byte_count, const int64_t* shape, int ndim, int dtype, int requires_grad) {
    GCT_TENSOR(
        auto result = at::empty(gct::ints(shape, ndim), at::TensorOptions().dtype(gct::scalar_type(dtype)));
        const int64_t expected = static_cast<int64_t>(result.nbytes());
        if (byte_count != expected) {
            throw std::invalid_argument("buffer holds " + std::to_string(byte_count) + " bytes but shape " +
                                        c10::str(result.sizes()) + " of " + std::string(c10::toString(result.scalar_type())) +
                                        " needs " + std::to_string(expected));
        }
        if (expected > 0) {
            if (data == nullptr) throw std::invalid_argument("null data pointer");
            std::memcpy(result.data_ptr(), data, static_cast<size_t>(expected));
        }
        return gct::leaf(result, requires_grad);
    );
}

// Copies a tensor's elements (any device, any layout) into host memory as a contiguous block.
GCT_EXPORT int gct_copy_to_buffer(gct_tensor tensor, void* data, int64_t byte_count) {
    GCT_STATUS(
        auto source = gct::T(tensor).detach().to(at::kCPU).contiguous();
        const int64_t needed = static_cast<int64_t>(source.nbytes());
        if (byte_count != needed) {
            throw std::invalid_argument("destination holds " + std::to_string(byte_count) + " bytes but the tensor has " +
                                        std::to_string(needed));
        }
        if (needed > 0) {
            if (data == nullptr) throw std::invalid_argument("null data pointer");
            std::memcpy(data, source.data_ptr(), static_cast<size_t>(needed));
        }
    );
}

GCT_EXPORT void gct_manual_seed(uint64_t seed) {
    // Cannot throw: seeds the default CPU generator (and CUDA ones when present).
    try {
        at::manual_seed(seed);
    } catch (...) {
    }
}

GCT_EXPORT gct_generator gct_generator_new(uint64_t seed) {
    try {
        auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
        return new at::Generator(std::move(generator));
    } catch (...) {
        gct::record_current_exception();
    }
    return nullptr;
}

GCT_EXPORT void gct_generator_free(gct_generator generator) { delete generator; }

GCT_EXPORT int gct_generator_seed(gct_generator generator, uint64_t seed) {
    GCT_STATUS(
        if (generator == nullptr) throw std::invalid_argument("null generator handle");
        std::lock_guard<std::mutex> lock(generator->mutex());
        generator->set_current_seed(seed);
    );
}

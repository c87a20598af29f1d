// Thread-local last error, handle lifetime, dtype and device decoding.
#include "shim.h"

#include <cstring>

namespace {
thread_local std::string last_error;
thread_local bool has_error = false;
}  // namespace

namespace gct {

void set_last_error(const char* message) {
    last_error = message == nullptr ? "unknown native error" : message;
    has_error = true;
}

void record_current_exception() noexcept {
    try {
        throw;
    } catch (const c10::Error& e) {
        set_last_error(e.what_without_backtrace());
    } catch (const std::exception& e) {
        set_last_error(e.what());
    } catch (...) {
        set_last_error("unknown native error");
    }
}

at::ScalarType scalar_type(int dtype) {
    switch (dtype) {
        case static_cast<int>(at::kByte):
        case static_cast<int>(at::kChar):
        case static_cast<int>(at::kShort):
        case static_cast<int>(at::kInt):
        case static_cast<int>(at::kLong):
        case static_cast<int>(at::kHalf):
        case static_cast<int>(at::kFloat):
        case static_cast<int>(at::kDouble):
        case static_cast<int>(at::kBool):
        case static_cast<int>(at::kBFloat16):
            return static_cast<at::ScalarType>(dtype);
        default:
            throw std::invalid_argument("unsupported dtype code " + std::to_string(dtype));
    }
}

at::Device device(int device_type, int device_index) {
    if (device_type == static_cast<int>(at::kCPU)) {
        return at::Device(at::kCPU);
    }
    if (device_type == static_cast<int>(at::kCUDA)) {
        if (!at::hasCUDA()) {
            throw std::runtime_error("CUDA device cuda:" + std::to_string(device_index) +
                                     " requested, but this libtorch build has no CUDA support "
                                     "(or no CUDA driver/GPU is present); use device 'cpu'");
        }
        return at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(device_index));
    }
    throw std::invalid_argument("unsupported device type " + std::to_string(device_type));
}

at::TensorOptions options(int dtype, int device_type, int device_index) {
    return at::TensorOptions().dtype(scalar_type(dtype)).device(device(device_type, device_index));
}

}  // namespace gct

// Returns the calling thread's last error message, or nullptr when there is none.
// The pointer stays valid until the next failing call on this thread.
GCT_EXPORT const char* gct_last_error() { return has_error ? last_error.c_str() : nullptr; }

GCT_EXPORT void gct_clear_error() {
    has_error = false;
    last_error.clear();
}

GCT_EXPORT void gct_free(gct_tensor tensor) { delete tensor; }

GCT_EXPORT int gct_abi_version() { return 1; }

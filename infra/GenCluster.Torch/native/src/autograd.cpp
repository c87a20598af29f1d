// Autograd: requires_grad, backward, gradients, grad mode, and in-place re-pointing of
// parameters/gradients onto views of flat buffers.
#include "shim.h"

#include <ATen/core/grad_mode.h>

GCT_EXPORT int gct_requires_grad(gct_tensor a, int32_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int32_t>(gct::T(a).requires_grad()); });
}

GCT_EXPORT int gct_set_requires_grad(gct_tensor a, int requires_grad) {
    GCT_STATUS(gct::T(a).requires_grad_(requires_grad != 0));
}

GCT_EXPORT int gct_is_leaf(gct_tensor a, int32_t* out) {
    return gct::guard_value(out, [&] { return static_cast<int32_t>(gct::T(a).is_leaf()); });
}

// gradient may be null for a scalar output (implicit 1).
GCT_EXPORT int gct_backward(gct_tensor a, gct_tensor gradient, int retain_graph) {
    GCT_STATUS(gct::T(a).backward(gct::opt(gradient).value_or(at::Tensor()), retain_graph != 0 ? c10::optional<bool>(true) : c10::nullopt));
}

// Returns a handle to the gradient, or nullptr with *defined = 0 when there is none.
GCT_EXPORT gct_tensor gct_grad(gct_tensor a, int32_t* defined) {
    try {
        const auto& grad = gct::T(a).grad();
        if (defined != nullptr) *defined = grad.defined() ? 1 : 0;
        return grad.defined() ? gct::wrap(grad) : nullptr;
    } catch (...) {
        gct::record_current_exception();
    }
    if (defined != nullptr) *defined = -1;
    return nullptr;
}

// Sets (or with nullptr clears) the .grad of a leaf. Autograd then accumulates in place into it,
// which is how gradients land in a flat gradient buffer.
GCT_EXPORT int gct_set_grad(gct_tensor a, gct_tensor grad) {
    GCT_STATUS(
        auto& t = gct::T(a);
        if (grad == nullptr) {
            t.mutable_grad() = at::Tensor();
        } else {
            auto& g = gct::T(grad);
            if (!g.sizes().equals(t.sizes())) throw std::invalid_argument("grad shape " + c10::str(g.sizes()) + " does not match tensor shape " + c10::str(t.sizes()));
            if (g.scalar_type() != t.scalar_type()) throw std::invalid_argument("grad dtype does not match tensor dtype");
            t.mutable_grad() = g;
        }
    );
}

// Makes `a` (keeping its autograd identity) use the storage of `data` — e.g. a view into a flat buffer.
GCT_EXPORT int gct_set_data(gct_tensor a, gct_tensor data) {
    GCT_STATUS(
        auto& t = gct::T(a);
        auto& d = gct::T(data);
        if (!d.sizes().equals(t.sizes())) throw std::invalid_argument("set_data shape " + c10::str(d.sizes()) + " does not match " + c10::str(t.sizes()));
        t.set_data(d);
    );
}

GCT_EXPORT gct_tensor gct_detach(gct_tensor a) { GCT_TENSOR(return gct::T(a).detach()); }

GCT_EXPORT int gct_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
GCT_EXPORT void gct_set_grad_enabled(int enabled) { at::GradMode::set_enabled(enabled != 0); }

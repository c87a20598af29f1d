// Gradient-ready hooks: a post-hook on each leaf's gradient accumulator (the AccumulateGrad node), which autograd
// runs right after it has added that leaf's gradient for this backward pass. A leaf's accumulator runs once per
// backward, after every node that feeds it, so when the hook fires the leaf's .grad holds its final value for the
// pass and can be sent while backward carries on with earlier layers (what DDP's reducer does).
//
// The callback is a plain C function (the .NET side passes an [UnmanagedCallersOnly] method). It must not unwind:
// it reports failure by returning non-zero, and the hook then throws a C++ exception inside the autograd engine,
// which ends backward with an error that gct_backward turns into the thread's last error like any other.
#include "shim.h"

#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>

#include <memory>
#include <utility>
#include <vector>

typedef int (*gct_grad_ready_fn)(void* context, int32_t index);

namespace {

class GradReadyHook final : public torch::autograd::FunctionPostHook {
public:
    GradReadyHook(gct_grad_ready_fn fn, void* context, int32_t index) : fn_(fn), context_(context), index_(index) {}

    torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                              const torch::autograd::variable_list& /*inputs*/) override {
        if (fn_(context_, index_) != 0) {
            throw std::runtime_error("the gradient-ready callback of leaf " + std::to_string(index_) + " failed");
        }
        return outputs;
    }

private:
    gct_grad_ready_fn fn_;
    void* context_;
    int32_t index_;
};

struct GradHooks {
    gct_grad_ready_fn fn;
    void* context;
    // Owning the accumulators keeps them (and the hooks on them) alive between graphs: a leaf holds only a weak
    // reference to its accumulator, and autograd would otherwise make a fresh one, without the hook, for each graph.
    std::vector<std::pair<std::shared_ptr<torch::autograd::Node>, uintptr_t>> registered;
};

}  // namespace

typedef GradHooks* gct_grad_hooks;

// A set of hooks that call fn(context, index) for the leaves added with gct_grad_hooks_add. Never null on success.
GCT_EXPORT gct_grad_hooks gct_grad_hooks_new(gct_grad_ready_fn fn, void* context) {
    try {
        if (fn == nullptr) throw std::invalid_argument("null gradient-ready callback");
        return new GradHooks{fn, context, {}};
    } catch (...) {
        gct::record_current_exception();
    }
    return nullptr;
}

// Hooks leaf `a` (which must require grad) with the given index.
GCT_EXPORT int gct_grad_hooks_add(gct_grad_hooks hooks, gct_tensor a, int32_t index) {
    GCT_STATUS(
        if (hooks == nullptr) throw std::invalid_argument("null hook set");
        auto& t = gct::T(a);
        if (!t.requires_grad()) throw std::invalid_argument("a gradient-ready hook needs a tensor that requires grad");
        if (!t.is_leaf()) throw std::invalid_argument("a gradient-ready hook needs a leaf tensor");
        auto accumulator = torch::autograd::impl::grad_accumulator(t);
        if (!accumulator) throw std::runtime_error("the tensor has no gradient accumulator");
        auto key = accumulator->add_post_hook(std::make_unique<GradReadyHook>(hooks->fn, hooks->context, index));
        hooks->registered.emplace_back(std::move(accumulator), key);
    );
}

// Removes the hooks and frees the set. Call only when no backward pass is running.
GCT_EXPORT void gct_grad_hooks_free(gct_grad_hooks hooks) {
    if (hooks == nullptr) return;
    for (auto& [accumulator, key] : hooks->registered) {
        accumulator->del_post_hook(key);
    }
    delete hooks;
}

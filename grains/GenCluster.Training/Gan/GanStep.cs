using GenCluster.Torch;
using GenCluster.Torch.Modules;
using static GenCluster.Torch.torch;

namespace GenCluster.Training.Gan;

/// <summary>Losses of the discriminator phase of one GAN step.</summary>
/// <param name="Loss">errD = BCE(D(x), 1) + BCE(D(G(z)), 0).</param>
/// <param name="RealScore">Mean D(x) after the sigmoid.</param>
/// <param name="FakeScore">Mean D(G(z)) after the sigmoid, before D's update.</param>
public readonly record struct DiscriminatorPhase(float Loss, float RealScore, float FakeScore);

/// <summary>Losses of the generator phase of one GAN step.</summary>
/// <param name="Loss">errG = BCE(D(G(z)), 1) through the updated discriminator.</param>
/// <param name="FakeScore">Mean D(G(z)) after the sigmoid, after D's update.</param>
public readonly record struct GeneratorPhase(float Loss, float FakeScore);

/// <summary>
/// The gradient half of a DCGAN step (pytorch/examples <c>dcgan/main.py</c>), split into two phases
/// so the optimizer update in between can be local or distributed:
/// <list type="number">
/// <item><see cref="DiscriminatorBackward"/>: D's gradients of BCE(D(x),1) + BCE(D(G(z).detach()),0) land in D's flat gradient buffer.</item>
/// <item>The caller updates D's parameters (an optimizer, or reduce-scatter/all-gather across workers).</item>
/// <item><see cref="GeneratorBackward"/>: G's gradients of BCE(D(G(z)),1) through the updated D land in G's flat buffer.</item>
/// <item>The caller updates G.</item>
/// </list>
/// </summary>
/// <remarks>
/// All tensors live on the calling thread's dispose scopes; call both phases from one thread.
/// D's parameters are frozen during the generator phase: the reference computes D's weight
/// gradients there only to discard them, so skipping them changes no result and saves time.
/// </remarks>
public sealed class GanStep : IDisposable
{
    private readonly Module _generator;
    private readonly Module _discriminator;
    private readonly BCEWithLogitsLoss _criterion = nn.BCEWithLogitsLoss();
    private Tensor? _fake;
    private Tensor? _realLabels;
    private Tensor? _fakeLabels;
    private GradientReadyHooks? _generatorHooks;
    private GradientReadyHooks? _discriminatorHooks;
    // Who hears of ready gradients: set only around the backward pass whose gradients are the phase's final ones.
    private Action<int>? _generatorListener;
    private Action<int>? _discriminatorListener;
    private RealHalf? _realHalf;

    public GanStep(Module generator, Module discriminator)
    {
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
        _discriminator = discriminator ?? throw new ArgumentNullException(nameof(discriminator));
        GeneratorBuffer = ParameterBuffer.Flatten(generator);
        DiscriminatorBuffer = ParameterBuffer.Flatten(discriminator);
    }

    /// <summary>G's flat parameters and gradients.</summary>
    public ParameterBuffer GeneratorBuffer { get; }

    /// <summary>D's flat parameters and gradients.</summary>
    public ParameterBuffer DiscriminatorBuffer { get; }

    /// <summary>Phase 1: computes D's gradients on a real batch and fakes generated from <paramref name="noise"/>.</summary>
    /// <param name="real">N×C×H×W images in [-1, 1].</param>
    /// <param name="noise">N×nz×1×1 latent vectors.</param>
    /// <param name="gradientReady">
    /// Called during the phase's last backward pass, on this thread, with the index (in <see cref="ParameterBuffer.Layout"/>
    /// of <see cref="DiscriminatorBuffer"/>) of each of D's parameters as soon as its gradient for this step is final.
    /// </param>
    public DiscriminatorPhase DiscriminatorBackward(Tensor real, Tensor noise, Action<int>? gradientReady = null)
    {
        DiscriminatorRealBackward(real);
        return DiscriminatorFakeBackward(noise, gradientReady);
    }

    /// <summary>
    /// Phase 1, real half: zeroes D's gradients and adds those of BCE(D(x), 1). It reads only D's parameters, so it may
    /// run before G's update of the previous step is written; <see cref="DiscriminatorFakeBackward"/> completes the phase.
    /// </summary>
    /// <param name="real">N×C×H×W images in [-1, 1].</param>
    public void DiscriminatorRealBackward(Tensor real)
    {
        ArgumentNullException.ThrowIfNull(real);
        var batch = real.size(0);
        _realHalf = null;
        ReleaseFake();
        EnsureLabels(batch);
        DiscriminatorBuffer.zero_grad();
        using var scope = NewDisposeScope();
        var realLogits = _discriminator.forward(real);
        var errReal = _criterion.forward(realLogits, _realLabels!);
        errReal.backward();
        _realHalf = new RealHalf(batch, errReal.item<float>(), realLogits.sigmoid().mean().item<float>());
    }

    /// <summary>Phase 1, fake half: adds D's gradients of BCE(D(G(z).detach()), 0) to the real half's.</summary>
    /// <param name="noise">N×nz×1×1 latent vectors, N the real half's batch.</param>
    /// <param name="gradientReady">As for <see cref="DiscriminatorBackward"/>.</param>
    /// <exception cref="InvalidOperationException">The real half has not run since the last fake half.</exception>
    public DiscriminatorPhase DiscriminatorFakeBackward(Tensor noise, Action<int>? gradientReady = null)
    {
        ArgumentNullException.ThrowIfNull(noise);
        var realHalf = _realHalf ?? throw new InvalidOperationException("DiscriminatorFakeBackward needs DiscriminatorRealBackward first");
        if (noise.size(0) != realHalf.Batch)
        {
            throw new ArgumentException($"noise batch {noise.size(0)} differs from real batch {realHalf.Batch}", nameof(noise));
        }

        _realHalf = null;
        using var scope = NewDisposeScope();
        _fake = _generator.forward(noise).DetachFromDisposeScope();
        var fakeLogits = _discriminator.forward(_fake.detach());
        var errFake = _criterion.forward(fakeLogits, _fakeLabels!);
        // The real half's backward has already added its share; this pass completes every gradient of D.
        if (gradientReady is not null)
        {
            _discriminatorHooks ??= Hook(_discriminator, i => _discriminatorListener?.Invoke(i));
        }

        _discriminatorListener = gradientReady;
        try
        {
            errFake.backward();
        }
        finally
        {
            _discriminatorListener = null;
        }

        return new DiscriminatorPhase(realHalf.Loss + errFake.item<float>(), realHalf.Score, fakeLogits.sigmoid().mean().item<float>());
    }

    /// <summary>Phase 2: computes G's gradients through the (by now updated) discriminator.</summary>
    /// <param name="gradientReady">
    /// Called during the backward pass, on this thread, with the index (in <see cref="ParameterBuffer.Layout"/> of
    /// <see cref="GeneratorBuffer"/>) of each of G's parameters as soon as its gradient for this step is final.
    /// </param>
    /// <exception cref="InvalidOperationException">Phase 1 has not run since the last phase 2.</exception>
    public GeneratorPhase GeneratorBackward(Action<int>? gradientReady = null)
    {
        var fake = _fake ?? throw new InvalidOperationException("GeneratorBackward needs DiscriminatorBackward first");
        if (gradientReady is not null)
        {
            _generatorHooks ??= Hook(_generator, i => _generatorListener?.Invoke(i));
        }

        GeneratorBuffer.zero_grad();
        using var scope = NewDisposeScope();
        SetRequiresGrad(_discriminator, false);
        try
        {
            var logits = _discriminator.forward(fake);
            var errG = _criterion.forward(logits, _realLabels!);
            _generatorListener = gradientReady;
            errG.backward();
            return new GeneratorPhase(errG.item<float>(), logits.sigmoid().mean().item<float>());
        }
        finally
        {
            _generatorListener = null;
            SetRequiresGrad(_discriminator, true);
            ReleaseFake();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _generatorHooks?.Dispose();
        _discriminatorHooks?.Dispose();
        ReleaseFake();
        _realLabels?.Dispose();
        _fakeLabels?.Dispose();
        GeneratorBuffer.Dispose();
        DiscriminatorBuffer.Dispose();
    }

    private void EnsureLabels(long batch)
    {
        if (_realLabels is not null && _realLabels.size(0) == batch)
        {
            return;
        }

        _realLabels?.Dispose();
        _fakeLabels?.Dispose();
        _realLabels = ones([batch]).DetachFromDisposeScope();
        _fakeLabels = zeros([batch]).DetachFromDisposeScope();
    }

    private void ReleaseFake()
    {
        _fake?.Dispose();
        _fake = null;
    }

    /// <summary>What the real half leaves for the fake half: its batch, errD_real and mean D(x).</summary>
    private sealed record RealHalf(long Batch, float Loss, float Score);

    // Parameters in named_parameters order, the order of ParameterBuffer.Layout, so a hook's index is a layout index.
    private static GradientReadyHooks Hook(Module module, Action<int> ready) => new([.. module.parameters()], ready);

    private static void SetRequiresGrad(Module module, bool value)
    {
        foreach (var p in module.parameters())
        {
            p.requires_grad = value;
        }
    }
}

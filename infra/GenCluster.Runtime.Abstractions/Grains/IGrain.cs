namespace GenCluster.Runtime;

/// <summary>Marker for grain interfaces. Methods return <see cref="Task"/>, <see cref="Task{T}"/>,
/// <see cref="ValueTask"/>, <see cref="ValueTask{T}"/> or <see cref="IAsyncEnumerable{T}"/>.</summary>
/// <remarks>
/// <b>Caller contract for array arguments:</b> a large tensor argument (a <c>float[]</c>, <c>double[]</c> or
/// <c>long[]</c> of 64 KiB or more) is not copied when the call is made; it is sent to the grain's silo straight from
/// the caller's array. Do not change such an array until the call's task completes; afterwards it may be reused.
/// A call that ended early (timed out or canceled) may still be sending it: do not reuse the array after such a call.
/// Calls to a grain in the same silo copy the arguments once, when the call is made, and the callee receives that
/// copy itself (it is not copied again). Results are copied once as the method returns (a caller in the same silo
/// receives that copy), so a grain may keep changing an array it returned — unless the method is marked
/// <see cref="ResultByReferenceAttribute"/>: then the result's large arrays are sent from the grain's own arrays, which
/// it must leave unchanged from then on.
/// <para><b>Tensor views</b> (<see cref="TensorView{T}"/>) avoid the remaining copies: a grain method taking one reads the
/// elements in the received frame, and a caller in the same silo lends its memory to the callee for the call (the same
/// rule: unchanged until the call completes, and not reused after a call that ended early). The view a method received
/// is valid until the method's task completes; a view received as a result until it is disposed. A
/// <see cref="TensorDestination{T}"/> parameter has the result decoded straight into the caller's memory.</para>
/// </remarks>
public interface IGrain
{
}

/// <summary>A grain addressed by a string key.</summary>
public interface IGrainWithStringKey : IGrain
{
}

/// <summary>A grain addressed by an integer key (carried as its decimal string).</summary>
public interface IGrainWithIntegerKey : IGrain
{
}

/// <summary>Creates references to grains; a reference is cheap and activates nothing until called.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with key <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;

    /// <summary>A reference to the grain of interface <typeparamref name="TGrainInterface"/> with integer key <paramref name="key"/>.</summary>
    TGrainInterface GetGrain<TGrainInterface>(long key) where TGrainInterface : IGrainWithIntegerKey;
}

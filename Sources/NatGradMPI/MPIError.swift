#if MPI
/// An MPI call that did not succeed: the call's name and Open MPI's error string.
public struct MPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The MPI function that failed (`MPI_Allgatherv`, …).
    public let call: String
    /// The library's text for the error code (`MPI_Error_string`).
    public let reason: String

    /// An error for `call`, with the library's text for its error code.
    public init(call: String, reason: String) {
        self.call = call
        self.reason = reason
    }

    public var description: String { "\(call) failed: \(reason)" }
}
#endif

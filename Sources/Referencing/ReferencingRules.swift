import Directory

/// The referencing state machine of L6111-5:
/// `applied → under_review → referenced | rejected`, `referenced → suspended → referenced | withdrawn`,
/// `referenced → expired` at the end of validity, and renewal from `expired` by a new application.
public enum ReferencingRules {
    /// The states a referencing may move to from `state`.
    public static func allowedNext(from state: ReferencingState) -> Set<ReferencingState> {
        switch state {
        case .applied: [.underReview]
        case .underReview: [.referenced, .rejected]
        case .referenced: [.suspended, .expired, .withdrawn]
        case .suspended: [.referenced, .withdrawn]
        case .expired: [.applied]
        case .rejected: [.applied]
        case .withdrawn: []
        }
    }

    /// Whether `from → to` is a transition the state machine allows.
    public static func allows(_ from: ReferencingState, _ to: ReferencingState) -> Bool {
        allowedNext(from: from).contains(to)
    }
}

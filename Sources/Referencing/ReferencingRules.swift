import Directory

/// The referencing state machine of L6111-5:
/// `applied → under_review → referenced | rejected`, `referenced → suspended → referenced | withdrawn`,
/// `referenced → expired` at the end of validity, and renewal from `expired` by a new application.
/// An applicant may withdraw its own application: `applied | under_review → withdrawn`.
/// `suspended → referenced` re-checks the charter's criteria like a review does.
public enum ReferencingRules {
    /// The states a referencing may move to from `state`.
    public static func allowedNext(from state: ReferencingState) -> Set<ReferencingState> {
        switch state {
        case .applied: [.underReview, .withdrawn]
        case .underReview: [.referenced, .rejected, .withdrawn]
        case .referenced: [.suspended, .expired, .withdrawn]
        case .suspended: [.referenced, .withdrawn]
        case .expired: [.applied]
        case .rejected: [.applied]
        case .withdrawn: []
        }
    }

    /// The states from which a structure's own editor may withdraw its application.
    public static let withdrawableByApplicant: Set<ReferencingState> = [.applied, .underReview]

    /// Whether `from → to` is a transition the state machine allows.
    public static func allows(_ from: ReferencingState, _ to: ReferencingState) -> Bool {
        allowedNext(from: from).contains(to)
    }
}

import Directory

/// Whether a postcode serves a commune: one of its La Poste entries is the commune itself, or an
/// arrondissement of it (Paris, Lyon, Marseille: the entry names the arrondissement and its parent).
/// The one rule the harvest's anomalies and the node's entry checks share.
public enum PostcodeRule {
    public static func serves(_ entries: [PostcodeEntry], _ commune: CommuneCode) -> Bool {
        entries.contains { $0.commune == commune || $0.parentCommune == commune }
    }
}

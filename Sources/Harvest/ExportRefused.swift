import Directory
import Signing

/// Why a region's export was refused as a whole. The region's last good snapshot stays in service.
public enum ExportRefused: Error, Sendable, Equatable, CustomStringConvertible {
    case fetch(FetchError)
    case signature(SignatureRefusal)
    case invalidSchema(field: String, rule: String)
    case wrongRegion(expected: RegionCode, got: RegionCode)
    case rollback(region: RegionCode, last: Int, got: Int)
    case replay(region: RegionCode, version: Int)
    case expired(region: RegionCode, expiresAt: String)
    case placeOutsideTerritory(placeId: String, commune: CommuneCode, communeRegion: RegionCode)
    case massDeletion(region: RegionCode, removed: Int, of: Int, maxShare: Double)
    /// Over the guard's window, more of the places the region had at its start vanished without tombstones
    /// than `ExportValidator.maxCumulativeDeletionShare`, each export perhaps under the per-export guard.
    case cumulativeDeletion(region: RegionCode, removed: Int, of: Int, days: Int, maxShare: Double)
    /// Two records of one kind share an id: which one the Région meant cannot be told, so neither is taken.
    case duplicateId(kind: RecordKind, id: String)
    /// An object of the document names the same key twice (parsers disagree on which value wins).
    case duplicateKey(path: String, key: String)
    /// The version jumps further past the last accepted one than `ExportValidator.maxVersionStep`.
    case versionJump(region: RegionCode, last: Int, got: Int, maxStep: Int)
    /// `expiresAt` lies more than `ExportValidator.maxValidity` after `generatedAt`.
    case validityTooLong(generatedAt: String, expiresAt: String, maxDays: Int)
    /// `generatedAt` lies in the future by more than `ExportValidator.clockSkew`.
    case generatedInFuture(generatedAt: String, skewSeconds: Int)
    /// The national store failed while storing this Région's export (an SQLite error, say): nothing of
    /// it was kept, the previous snapshot stays whole.
    case storeFailed(String)

    /// The kinds of record whose ids must be unique in an export.
    public enum RecordKind: String, Sendable, Equatable {
        case charter, structure, place, channel

        /// The record's French name, for reports.
        public var french: String {
            switch self {
            case .charter: "version de cahier des charges"
            case .structure: "structure"
            case .place: "lieu"
            case .channel: "canal"
            }
        }
    }

    public var description: String {
        switch self {
        case .fetch(let e): "téléchargement impossible : \(e)"
        case .signature(let e): "signature refusée : \(e)"
        case .invalidSchema(let field, let rule): "export invalide : \(field) : \(rule)"
        case .wrongRegion(let expected, let got): "l'export est celui de la région \(got), la région \(expected) était attendue"
        case .rollback(let region, let last, let got): "retour en arrière : la région \(region) publie la version \(got), inférieure à la dernière acceptée \(last)"
        case .replay(let region, let version): "la version \(version) de la région \(region) a déjà été acceptée avec un autre contenu"
        case .expired(let region, let at): "l'export de la région \(region) a expiré le \(at) (gel)"
        case .placeOutsideTerritory(let id, let commune, let r): "le lieu \(id) est dans la commune \(commune), région \(r) : hors du territoire de la région exportatrice et de ses bassins d'emploi"
        case .massDeletion(let region, let removed, let of, let share):
            "suppression massive : l'export de la région \(region) retirerait sans tombstone \(removed) des \(of) lieux (plus de \(Int(share * 100)) %) ; l'opérateur national peut l'autoriser pour une moisson"
        case .cumulativeDeletion(let region, let removed, let of, let days, let share):
            "suppressions cumulées : la région \(region) aurait retiré sans tombstone \(removed) des \(of) lieux qu'elle avait il y a \(days) jours (plus de \(Int(share * 100)) %) ; l'opérateur national peut lever la garde pour une moisson en donnant un motif"
        case .duplicateId(let kind, let id):
            "identifiant en double : \(kind.french) « \(id) » figure plusieurs fois dans l'export ; export refusé, les données précédentes restent en service"
        case .duplicateKey(let path, let key):
            "clé JSON en double : « \(key) » apparaît deux fois dans le même objet (\(path)) ; export refusé"
        case .versionJump(let region, let last, let got, let step):
            "saut de version : la région \(region) publie la version \(got) alors que la dernière acceptée est \(last) (écart maximal \(step))"
        case .validityTooLong(let generated, let expires, let days):
            "validité trop longue : expiresAt \(expires) est à plus de \(days) jours de generatedAt \(generated)"
        case .generatedInFuture(let generated, let skew):
            "date de génération dans le futur : generatedAt \(generated) dépasse l'heure du moissonneur de plus de \(skew) s"
        case .storeFailed(let why):
            "échec de l'enregistrement dans l'annuaire national (\(why)) ; les données précédentes restent en service"
        }
    }

    /// A short stable code for reports.
    public var code: String {
        switch self {
        case .fetch(let e):
            switch e {
            case .tooLarge: "too_large"
            case .timedOut, .stalled: "timeout"
            case .redirectedElsewhere, .tooManyRedirects: "redirect"
            case .httpStatus: "http_status"
            case .truncated: "truncated"
            case .network: "unreachable"
            }
        case .signature(let e): e.code
        case .invalidSchema: "invalid_schema"
        case .wrongRegion: "wrong_region"
        case .rollback: "rollback"
        case .replay: "same_version_different_bytes"
        case .expired: "expired"
        case .placeOutsideTerritory: "outside_territory"
        case .massDeletion: "mass_deletion"
        case .cumulativeDeletion: "cumulative_deletion"
        case .duplicateId: "duplicate_id"
        case .duplicateKey: "duplicate_key"
        case .versionJump: "version_jump"
        case .validityTooLong: "validity_too_long"
        case .generatedInFuture: "generated_in_future"
        case .storeFailed: "store_error"
        }
    }
}


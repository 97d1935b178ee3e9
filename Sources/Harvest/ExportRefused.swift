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

    public var description: String {
        switch self {
        case .fetch(let e): "fetch failed: \(e)"
        case .signature(let e): "signature refused: \(e)"
        case .invalidSchema(let field, let rule): "invalid export: \(field): \(rule)"
        case .wrongRegion(let expected, let got): "export is for region \(got), expected \(expected)"
        case .rollback(let region, let last, let got): "rollback: region \(region) export version \(got) is lower than the last accepted \(last)"
        case .replay(let region, let version): "region \(region) version \(version) was already accepted with different bytes"
        case .expired(let region, let at): "region \(region) export expired at \(at) (freeze)"
        case .placeOutsideTerritory(let id, let commune, let r): "place \(id) lies in commune \(commune), région \(r): outside the exporting region's territory and its bassins d'emploi"
        case .massDeletion(let region, let removed, let of, let share):
            "region \(region) export would remove \(removed) of \(of) places without tombstones (over \(Int(share * 100))%); an operator may allow it for one harvest"
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
        }
    }
}


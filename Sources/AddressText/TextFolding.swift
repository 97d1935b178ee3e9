import Foundation

/// Folds text to comparable ASCII: upper-case letters and digits, every other character a single
/// separating space. Accents are stripped, ligatures spelled out (Œ -> OE), combining marks dropped.
/// Table-driven, no regex: this runs once per address in the geocoder's hot path.
package enum TextFolding {
    /// What a non-ASCII scalar becomes.
    private enum Mapping: Sendable {
        case drop            // combining marks: part of the previous letter
        case space           // punctuation, apostrophes, dashes, symbols
        case ascii([UInt8])  // folded letters
    }

    /// Mappings for Latin-1, Latin Extended-A/B, Latin Extended Additional, combining marks and the
    /// typographic punctuation French text uses. Built once from Foundation's diacritic folding.
    private static let table: [UInt32: Mapping] = {
        var t: [UInt32: Mapping] = [:]
        let ranges: [ClosedRange<UInt32>] = [0x00A0...0x024F, 0x1E00...0x1EFF]
        for range in ranges {
            for x in range {
                guard let scalar = Unicode.Scalar(x) else { continue }
                let folded = String(Character(scalar)).folding(options: [.diacriticInsensitive], locale: nil)
                let bytes = Array(folded.utf8)
                if !bytes.isEmpty, bytes.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) }) {
                    t[x] = .ascii(bytes.map { $0 >= 97 ? $0 - 32 : $0 })
                } else {
                    t[x] = .space
                }
            }
        }
        let spelled: [Character: String] = [
            "Œ": "OE", "œ": "OE", "Æ": "AE", "æ": "AE", "ß": "SS", "Ø": "O", "ø": "O", "Ł": "L", "ł": "L",
            "Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Þ": "TH", "þ": "TH", "ı": "I", "Ŀ": "L", "ŀ": "L",
            "ŉ": "N", "Ħ": "H", "ħ": "H", "Ŧ": "T", "ŧ": "T",
        ]
        for (c, s) in spelled { t[c.unicodeScalars.first!.value] = .ascii(Array(s.utf8)) }
        for x: UInt32 in 0x0300...0x036F { t[x] = .drop }
        return t
    }()

    /// Upper-case ASCII letters and digits separated by single spaces, no leading or trailing space.
    package static func fold(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        @inline(__always) func emit(_ b: UInt8) {
            if pendingSpace {
                if !out.isEmpty { out.append(32) }
                pendingSpace = false
            }
            out.append(b)
        }
        for v in s.unicodeScalars {
            let x = v.value
            if x < 128 {
                let b = UInt8(x)
                switch b {
                case 65...90, 48...57: emit(b)
                case 97...122: emit(b - 32)
                default: pendingSpace = true
                }
                continue
            }
            switch table[x] {
            case .drop: continue
            case .ascii(let bytes): for b in bytes { emit(b) }
            case .space, nil: pendingSpace = true
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The folded text split into tokens.
    package static func tokens(_ s: String) -> [Substring] {
        fold(s).split(separator: " ")
    }
}

extension Substring {
    /// Whether every character is an ASCII digit (and there is at least one).
    package var isDigits: Bool { !isEmpty && utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }
}

extension String {
    package var isDigits: Bool { Substring(self).isDigits }
}

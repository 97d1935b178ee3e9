import Directory
import Foundation
import Geocoding
import NationalDirectory
import OpenData
import RegionNode
import Signing
import SproTestSupport
import Testing
@testable import Harvest

/// Nothing personal reaches the open data: the people working on a node (an editor and the team member
/// who approves the editor's change) leave their names and e-mails in its tokens, edit queue and audit
/// log, never in its export, so never in the national directory or any format of its release.
@Suite struct OpenDataPrivacyTests {
    static let editorName = "Jeanne Dupont <jeanne.dupont@gmail.com>"
    static let approverName = "Paul Martin-Lefebvre <p.martin-lefebvre@region.example>"

    @Test func noReleaseFileCarriesThePeopleOfTheNode() async throws {
        let node = try TestNode()
        try await node.store.adoptCharters([Fixtures.charter()])
        try await node.store.importDataset(Fixtures.dataset())
        // An editor of a structure changes one of its places; a team member approves it.
        let place = try #require(try await node.store.place("53-P1"))
        let host = try #require(place.structures.first { $0.isHost }?.structureId)
        _ = try await node.store.issueToken(name: Self.editorName, role: .editor, structureId: host)
        let editor = Principal(name: Self.editorName, role: .editor, structureId: host)
        var changed = place
        changed.phone = "02 98 11 22 33"
        _ = try await node.store.submitPlace(changed, validator: RecordValidator(), by: editor)
        let approver = Principal(name: Self.approverName, role: .admin)
        let edit = try #require(try await node.store.edits(for: approver).first)
        try await node.store.decideEdit(edit.id, approve: true, by: approver)
        // The node does hold them.
        #expect(try await node.store.auditLog().contains { $0.actor == Self.editorName || $0.actor == Self.approverName })

        let national = try NationalStore(path: temporaryDirectory("national").appendingPathComponent("national.sqlite").path)
        let geocoder = Geocoder(pack: TestReference.pack)
        let outcome = try await Loopback.serveNode(node.store) { url in
            try await Harvester(regions: [node.registryEntry(url: url)], store: national, reference: TestReference.pack,
                                locator: GeocodingLocator(geocoder: geocoder, reference: TestReference.pack))
                .harvest(node.registryEntry(url: url))
        }
        #expect(outcome.status == .accepted)
        let set = OpenDataSet(generatedAt: Date(), places: try await national.directoryPlaces(),
                              structures: try await national.nationalStructures(), channels: try await national.channels())
        let files = try await OpenDataRelease.build(set)
        #expect(files.count >= 10)
        for file in files {
            let text = String(decoding: file.bytes, as: UTF8.self)
            for personal in ["Jeanne Dupont", "jeanne.dupont", "Paul Martin", "p.martin-lefebvre"] {
                #expect(!text.contains(personal), "\(file.name) carries « \(personal) »")
            }
        }
        // The approved change itself is published.
        let places = try #require(files.first { $0.name == "lieux.csv" })
        #expect(String(decoding: places.bytes, as: UTF8.self).contains("02 98 11 22 33"))
    }
}

import Foundation
import Testing
@testable import Directory

/// Opening hours in French for people (issue 15, item 3): no OSM syntax.
@Suite struct OpeningHoursFrenchTests {
    private func paris(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int = 0) -> LocalMoment {
        LocalMoment(year: y, month: m, day: d, minute: h * 60 + min)
    }

    @Test(arguments: [
        ("Mo-Th 08:30-12:00,13:30-17:30; Fr 08:30-12:00; PH off",
         "Du lundi au jeudi de 8 h 30 à 12 h et de 13 h 30 à 17 h 30 ; le vendredi de 8 h 30 à 12 h ; fermé les jours fériés"),
        ("Mo-Fr 09:00-12:00; Dec 24 off; 2026 Aug 01-2026 Aug 15 off",
         "Du lundi au vendredi de 9 h à 12 h ; fermé le 24 décembre ; fermé du 1er au 15 août 2026"),
        ("Tu,Th 14:00-17:00", "Le mardi de 14 h à 17 h ; le jeudi de 14 h à 17 h"),
        ("Mo-Fr unknown", "Du lundi au vendredi horaires à confirmer"),
        ("24/7", "Ouvert 24 h/24, 7 j/7"),
        ("Sa[1,3] 09:00-12:00", "Le 1er et 3e samedi du mois de 9 h à 12 h"),
        ("Fr[-1] 14:00-17:00 \"sur rendez-vous\"", "Le dernier vendredi du mois de 14 h à 17 h (sur rendez-vous)"),
        ("Mo-Fr 09:00-12:00; easter +1 day off", "Du lundi au vendredi de 9 h à 12 h ; fermé le lundi de Pâques"),
        ("Fr 22:00-02:00", "Le vendredi de 22 h à minuit ; le samedi de minuit à 2 h"),
        ("off", "Fermé"),
    ])
    func weekInWords(text: String, expected: String) throws {
        let words = try OpeningHours(text).frenchWeek()
        #expect(words == expected)
        // No OSM syntax: no weekday codes, no HH:MM times, no "PH", no "off".
        for osm in ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su", "PH", "off", ":"] {
            #expect(!words.contains(osm), "\(words) contains \(osm)")
        }
    }

    @Test func statusSaysUntilWhenAndWhenNext() throws {
        let office = try OpeningHours("Mo-Fr 08:30-12:30,13:30-17:30; PH off")
        #expect(office.frenchStatus(at: paris(2026, 3, 9, 10)) == "Ouvert jusqu'à 12 h 30")
        #expect(office.frenchStatus(at: paris(2026, 3, 9, 12, 45)) == "Fermé, ouvre à 13 h 30")
        #expect(office.frenchStatus(at: paris(2026, 3, 9, 18)) == "Fermé, ouvre demain à 8 h 30")
        #expect(office.frenchStatus(at: paris(2026, 3, 13, 18)) == "Fermé, ouvre lundi à 8 h 30")
        // Thursday 24 December after closing: Christmas is a holiday, then the weekend.
        #expect(office.frenchStatus(at: paris(2026, 12, 24, 18)) == "Fermé, ouvre lundi à 8 h 30")
        // Thursday 31 December: 1 January is a holiday, so Friday 1st is skipped over the year boundary.
        #expect(office.frenchStatus(at: paris(2026, 12, 31, 18)) == "Fermé, ouvre lundi à 8 h 30")
        #expect(try OpeningHours("Mo-Fr unknown").frenchStatus(at: paris(2026, 3, 9, 10)) == "Horaires à confirmer")
        #expect(try OpeningHours("Fr 22:00-02:00").frenchStatus(at: paris(2026, 3, 13, 23)) == "Ouvert jusqu'à demain 2 h")
        #expect(try OpeningHours("24/7").frenchStatus(at: paris(2026, 3, 9, 10)) == "Ouvert 24 h/24")
        #expect(try OpeningHours("Mo 09:00-12:00 \"sur rendez-vous\"").frenchStatus(at: paris(2026, 3, 9, 10))
                == "Ouvert jusqu'à 12 h (sur rendez-vous)")
        #expect(try OpeningHours("off").frenchStatus(at: paris(2026, 3, 9, 10)) == "Fermé")
    }

    @Test func dayDescriptionNamesHolidaysAndExceptionsInWords() throws {
        let office = try OpeningHours("Mo-Fr 08:30-12:30,13:30-17:30; Dec 24 off; PH off")
        #expect(office.frenchDescription(on: paris(2026, 7, 14, 10)) == "Fermé aujourd'hui (jour férié : Fête nationale)")
        #expect(office.frenchDescription(on: paris(2026, 12, 24, 10)) == "Fermé aujourd'hui (fermeture exceptionnelle)")
        #expect(office.frenchDescription(on: paris(2026, 3, 9, 10)) == "Ouvert aujourd'hui de 8 h 30 à 12 h 30 et de 13 h 30 à 17 h 30")
        #expect(office.frenchDescription(on: LocalMoment(year: 2027, month: 12, day: 20, minute: 600, in: .reunion))
                == "Fermé aujourd'hui (jour férié : Abolition de l'esclavage)")
    }

    /// A reading holds over its minutes exactly: at every minute it claims, the state, status and day's
    /// description read afresh are the same; at the first minute after them (its next change), one differs.
    @Test(arguments: ["Mo-Fr 08:30-12:30,13:30-17:30; PH off", "Fr 22:00-02:00", "Mo-Fr 09:00-12:00 \"sur rendez-vous\"; We 14:00-17:00",
                      "24/7", "Mo-Fr unknown", "Sa[1,3] 09:00-12:00; Dec 24 off", "off"])
    func aReadingHoldsUntilItsNextChangeAndNoLonger(text: String) throws {
        let hours = try OpeningHours(text)
        // A week across a holiday (Monday 13 July, Tuesday 14 July 2026), a Friday night, a first Saturday.
        for day in 10...17 {
            var minute = 0
            var readings = 0
            while minute < 1440 {
                let reading = hours.reading(at: paris(2026, 7, day, 0, minute))
                readings += 1
                let end = reading.minutes.upperBound
                #expect(reading.minutes.lowerBound == minute)
                for m in Array(stride(from: minute, to: end, by: 7)) + [end - 1] {
                    let at = paris(2026, 7, day, 0, m)
                    #expect(reading.holds(at: at))
                    #expect(hours.isOpen(at: at) == reading.state && hours.frenchStatus(at: at) == reading.status
                            && hours.frenchDescription(on: at) == reading.today, "\(text) 2026-07-\(day) minute \(m)")
                }
                if end < 1440 {
                    let after = paris(2026, 7, day, 0, end)
                    #expect(!reading.holds(at: after))
                    #expect(hours.isOpen(at: after) != reading.state || hours.frenchStatus(at: after) != reading.status,
                            "\(text) 2026-07-\(day): nothing changes at minute \(end)")
                }
                #expect(!reading.holds(at: paris(2026, 7, day + 1, 0, minute)), "another day")
                #expect(!reading.holds(at: LocalMoment(year: 2026, month: 7, day: day, minute: minute, in: .reunion)), "another territory")
                minute = end
            }
            #expect(readings <= 8, "\(text): \(readings) readings in a day")
        }
    }
}

import PerformanceKit

extension IndicatorValue {
    /// Writes the value as `JSONEncoder` with sorted keys does.
    public func write(to w: inout JSONBytes) {
        w.beginObject()
        w.key("code"); w.string(code)
        w.key("period"); w.string(period)
        w.key("subject"); w.string(subject.rawValue)
        w.key("subjectId"); w.string(subjectId)
        w.key("unit"); w.string(unit)
        w.key("value"); w.double(value)
        w.endObject()
    }
}

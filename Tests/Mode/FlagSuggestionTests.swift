import QuiltMode
import Testing

@Suite("Did you mean …? for mistyped flags")
struct FlagSuggestionTests {
    @Test("Typos within a third of the flag's length find it; other words find nothing",
          arguments: [
              ("--registy", "--registry"), ("--REGISTRY", "--registry"), ("--catalog-ulr", "--catalog-url"),
              ("--read-onyl=true", "--read-only"), ("--jwt-audiance", "--jwt-audience"), ("--max-tennants", "--max-tenants"),
              ("--frobnicate", nil), ("--x", nil), ("--", nil),
          ] as [(String, String?)])
    func suggestion(typed: String, expected: String?) {
        #expect(FlagSuggestion.closest(to: typed, among: FlagSuggestion.modeFlags) == expected)
    }

    @Test("Every mode flag suggests itself, and the hint phrase is empty without a suggestion")
    func exact() {
        for flag in FlagSuggestion.modeFlags { #expect(FlagSuggestion.closest(to: flag, among: FlagSuggestion.modeFlags) == flag) }
        #expect(FlagSuggestion.hint(for: "--nothing-like-it", among: FlagSuggestion.modeFlags) == "")
        #expect(FlagSuggestion.hint(for: "--mdoe", among: ["--mode"]) == " (did you mean --mode?)")
    }
}

#pragma once
// The five fields and 73 sub-fields of help matching, from ONE data file the district edits
// (data/sharing/fields.json, compiled in), checked when loaded. Pure: no database, no HTTP.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dure::sharing {

// How much a helper must have been checked before being connected, in increasing order.
enum class Vetting { none = 0, identity = 1, training = 2, criminal_record = 3 };
std::optional<Vetting> parse_vetting(std::string_view s);
std::string_view to_string(Vetting v);

struct VettingLevel {
    Vetting level = Vetting::none;
    std::string label_ko, label_en, basis_ko, basis_en, source;
};

struct SubField {
    std::string code, field, name_ko, name_en;
    std::optional<std::string> code_1365;  // none: dure's own sub-field
    std::string mode;                      // in_person, remote, in_kind
    Vetting vetting = Vetting::none;
    std::string vetting_rule;  // "children", "home_visit" for criminal_record; "" otherwise
};

struct Field {
    std::string code, name_ko, name_en;
    std::vector<std::string> subfields;  // codes, in file order
};

struct HourRules {
    int daily_max_minutes = 480;
    int entry_window_days = 90;
    std::string basis_ko, basis_en, source;
};

class Taxonomy {
public:
    // Parses and checks the file: 5 fields, unique codes, every sub-field with both names, a
    // known mode and vetting level, a 1365 code of four digits or null with dure_own true, a
    // criminal-record level with its rule. Throws std::runtime_error naming the code and member.
    static Taxonomy parse(std::string_view json_text);
    // data/sharing/fields.json as compiled in (parsed once).
    static const Taxonomy& embedded();

    const std::vector<Field>& fields() const { return fields_; }
    const std::vector<SubField>& subfields() const { return subfields_; }
    const std::vector<VettingLevel>& vetting_levels() const { return levels_; }
    const HourRules& hour_rules() const { return hours_; }
    const std::string& version() const { return version_; }
    const SubField* find(std::string_view code) const;
    const VettingLevel* level(Vetting v) const;

private:
    std::vector<Field> fields_;
    std::vector<SubField> subfields_;
    std::vector<VettingLevel> levels_;
    HourRules hours_;
    std::string version_;
};

}  // namespace dure::sharing

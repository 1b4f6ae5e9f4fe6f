#pragma once
// The demo campaign: 2023 희망온돌 따뜻한 겨울나기 (Gwangjin-gu's, target 1,360,000,000 KRW,
// 2023-11-15 → 2024-02-14, counters at the district's dongs), deterministic.
#include <string>

#include "app/module.hpp"

namespace dure::giving {

class GivingStore;

// Creates the campaign with its gifts and distributions once (a second run leaves it); returns
// the demo summary line.
std::string load_demo(GivingStore& store, app::Platform& p, const app::DemoOptions& o);

}  // namespace dure::giving

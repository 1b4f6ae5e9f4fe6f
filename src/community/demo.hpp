#pragma once
// The community module's deterministic demo (`dure demo`): the kimchi-making day (20 places, 60
// applicants, a public draw), an academy course of 4 sessions, 10 meeting spaces with bookings,
// the sign-up prize draw (50 winners).
#include <string>

#include "app/module.hpp"

namespace dure::community {

class EventStore;
class DrawStore;
class SpaceStore;

std::string seed_demo(app::Platform& p, const app::DemoOptions& o, EventStore& events, DrawStore& draws,
                      SpaceStore& spaces);

}  // namespace dure::community

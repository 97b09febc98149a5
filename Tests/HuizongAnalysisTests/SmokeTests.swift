import Testing
@testable import HuizongAnalysis

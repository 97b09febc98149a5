import GRDB
import HuizongCore

// PLACEHOLDER until the database work lands.
public enum NationalDatabase {}

// RegionNode
